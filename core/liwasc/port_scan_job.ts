import { parseAddressInput } from "./address_input.ts";
import { LiwascInputError } from "./input_error.ts";
import type { PlannedJob } from "./jobs/job.ts";
import { newScanRecord } from "./jobs/scan_jobs.ts";
import type { ProbeCounter } from "./metrics.ts";
import type { PortRecord, ScanRecord } from "./model.ts";
import { synScan } from "./port_scan/syn_scan.ts";
import { tcpConnectScan } from "./port_scan/tcp_connect_scan.ts";
import { type UdpPortResult, udpScan } from "./port_scan/udp_scan.ts";
import { parsePortSet, PortSetError } from "./ports/port_set.ts";
import { interfaceReaches } from "./targets.ts";

export interface PortScanJobOptions {
  ip: string;
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

const saveEvery = 500;

function portsOf(spec: string, protocol: "tcp" | "udp", field: string): number[] {
  try {
    return parsePortSet(spec, protocol);
  } catch (error) {
    if (error instanceof PortSetError) throw new LiwascInputError(field, error.message);
    throw error;
  }
}

/**
 * One node's port scan: TCP (connect or SYN) then UDP, every result streamed and kept (latest per port).
 * The address and port sets are checked when the job is planned, so a bad request fails before anything
 * is sent.
 */
export function planPortScan(options: PortScanJobOptions): PlannedJob<ScanRecord> {
  const ip = parseAddressInput(options.ip, "ip");
  if (!options.interfaces.some((name) => interfaceReaches(name, ip))) {
    throw new LiwascInputError("ip", `${options.ip} is in none of the scanner's subnets`);
  }
  const tcpSpec = options.tcpPorts?.trim() || "top:100";
  const udpSpec = options.udpPorts?.trim() ?? "";
  const tcp = portsOf(tcpSpec, "tcp", "tcp_ports");
  const udp = udpSpec ? portsOf(udpSpec, "udp", "udp_ports") : [];
  const timeoutMs = options.timeoutMs || 1000;
  if (timeoutMs < 10 || timeoutMs > 60_000) throw new LiwascInputError("timeout_ms", "from 10 to 60000");
  const record = newScanRecord("port", options.ip, options.startedBy);
  record.ports = [
    `tcp ${tcpSpec}${options.tcpMethod === "syn" ? " (syn)" : ""}`,
    ...(udp.length > 0 ? [`udp ${udpSpec}`] : []),
  ].join(", ");
  record.total = tcp.length + udp.length;
  return {
    record,
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
          ip: options.ip,
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
      const hosts = [options.ip];
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
