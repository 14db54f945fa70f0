import { LiwascInputError } from "./input_error.ts";
import type { PlannedJob } from "./jobs/job.ts";
import { newScanRecord } from "./jobs/scan_jobs.ts";
import type { ProbeCounter } from "./metrics.ts";
import type { PortRecord, ScanRecord } from "./model.ts";
import { synScan } from "./port_scan/syn_scan.ts";
import { tcpConnectScan } from "./port_scan/tcp_connect_scan.ts";
import { type UdpPortResult, udpScan } from "./port_scan/udp_scan.ts";
import { parsePortSet, PortSetError } from "./ports/port_set.ts";
import { portScanHosts } from "./port_targets.ts";
import { cidrContains, type Ipv4Cidr } from "../net/ipv4addr.ts";
import { subnetsOf } from "./targets.ts";

export interface PortScanJobOptions {
  /** The hosts: addresses or CIDR blocks (see port_targets.ts), `ip` first. */
  ip: string;
  ips?: readonly string[];
  /** Port sets; TCP defaults to top:100, UDP to none. */
  tcpPorts?: string;
  udpPorts?: string;
  timeoutMs?: number;
  /** "connect" (default) or "syn" (raw socket, half-open). */
  tcpMethod?: "connect" | "syn";
  startedBy: string;
  /** The scanner interfaces: the address must lie in one of their subnets. */
  interfaces: string[];
  onPort: (port: PortRecord) => void;
  save: (ports: PortRecord[]) => void;
  probes?: ProbeCounter;
}

// Results are handed to `save` in batches this large, and the rest at the end. Each batch is one durable
// commit (an fsync) and takes the event loop ~3 µs a result: a batch every 10k results stalled a SYN
// scan's answers for 20-40 ms each time (inflating the round trips it learns its waits from), and each
// fsync cost 5 to over 100 ms with other writers on the disk. Held results cost ~200 bytes each.
const saveEvery = 100_000;
/** (host, port) pairs in one scan at most: a scan's state and results are held in memory until it ends. */
export const maxProbesPerScan = 1 << 20;

function portsOf(spec: string, protocol: "tcp" | "udp", field: string): number[] {
  try {
    return parsePortSet(spec, protocol);
  } catch (error) {
    if (error instanceof PortSetError) throw new LiwascInputError(field, error.message);
    throw error;
  }
}

/** A planned port scan and the hosts it scans. */
export interface PlannedPortScan extends PlannedJob<ScanRecord> {
  hosts: string[];
}

function interfaceSubnets(interfaces: readonly string[]): Ipv4Cidr[] {
  return interfaces.flatMap((name) => {
    try {
      return subnetsOf(name);
    } catch {
      return []; // gone, or no address yet: it reaches nothing
    }
  });
}

/**
 * A port scan of one or more hosts: TCP (connect or SYN) then UDP, every result streamed and kept
 * (latest per port). The addresses and port sets are checked when the job is planned, so a bad request
 * fails before anything is sent.
 */
export function planPortScan(options: PortScanJobOptions): PlannedPortScan {
  const subnets = interfaceSubnets(options.interfaces);
  const hosts = portScanHosts(
    options.ip,
    options.ips ?? [],
    (address) => subnets.some((subnet) => cidrContains(subnet, address)),
  );
  const tcpSpec = options.tcpPorts?.trim() || "top:100";
  const udpSpec = options.udpPorts?.trim() ?? "";
  const tcp = portsOf(tcpSpec, "tcp", "tcp_ports");
  const udp = udpSpec ? portsOf(udpSpec, "udp", "udp_ports") : [];
  if (hosts.length * (tcp.length + udp.length) > maxProbesPerScan) {
    throw new LiwascInputError(
      "ips",
      `${hosts.length} hosts × ${
        tcp.length + udp.length
      } ports is more than ${maxProbesPerScan} probes in one scan`,
    );
  }
  const timeoutMs = options.timeoutMs || 1000;
  if (timeoutMs < 10 || timeoutMs > 60_000) throw new LiwascInputError("timeout_ms", "from 10 to 60000");
  const target = [options.ip, ...options.ips ?? []].map((entry) => entry.trim()).filter(Boolean).join(", ");
  const record = newScanRecord("port", target, options.startedBy);
  record.ports = [
    `tcp ${tcpSpec}${options.tcpMethod === "syn" ? " (syn)" : ""}`,
    ...(udp.length > 0 ? [`udp ${udpSpec}`] : []),
  ].join(", ");
  record.total = hosts.length * (tcp.length + udp.length);
  return {
    record,
    hosts,
    async work(job) {
      const { signal } = job;
      const progress = job.progressPublisher();
      let pending: PortRecord[] = [];
      const flush = () => {
        options.save(pending);
        pending = [];
      };
      const take = (protocol: "tcp" | "udp") => (result: UdpPortResult) => {
        const port: PortRecord = {
          ip: result.host,
          protocol,
          port: result.port,
          state: result.state,
          reason: result.reason,
          service: result.service,
          detail: result.detail,
          scanId: record.id,
          seen: Date.now(),
        };
        record.done++;
        if (port.state === "open") record.found++;
        pending.push(port);
        if (pending.length >= saveEvery) flush();
        options.onPort(port);
        progress();
      };
      const { probes } = options;
      try {
        if (options.tcpMethod === "syn") {
          await synScan({
            hosts,
            ports: tcp,
            roundTimeoutMs: timeoutMs,
            signal,
            probes,
            onResult: take("tcp"),
          });
        } else {
          await tcpConnectScan({ hosts, ports: tcp, timeoutMs, signal, probes, onResult: take("tcp") });
        }
        if (udp.length > 0 && !signal.aborted) {
          await udpScan({ hosts, ports: udp, timeoutMs, signal, probes, onResult: take("udp") });
        }
      } finally {
        flush();
      }
    },
  };
}
