import { LiwascInputError } from "./input_error.ts";
import type { PortRecord, ScanRecord } from "./model.ts";
import { synScan } from "./port_scan/syn_scan.ts";
import { tcpConnectScan } from "./port_scan/tcp_connect_scan.ts";
import { type UdpPortResult, udpScan } from "./port_scan/udp_scan.ts";
import { parsePortSet, PortSetError } from "./ports/port_set.ts";

export interface PortScanJobOptions {
  ip: string;
  /** Port sets; TCP defaults to top:100, UDP to none. */
  tcpPorts?: string;
  udpPorts?: string;
  timeoutMs?: number;
  /** "connect" (default) or "syn" (raw socket, half-open). */
  tcpMethod?: "connect" | "syn";
  /** Updated in place: total, done, found, ports. */
  record: ScanRecord;
  onPort: (port: PortRecord) => void;
  onProgress: () => void;
  save: (ports: PortRecord[]) => void;
}

const saveEvery = 500;
const progressEveryMs = 250;

function portsOf(spec: string, protocol: "tcp" | "udp", field: string): number[] {
  try {
    return parsePortSet(spec, protocol);
  } catch (error) {
    if (error instanceof PortSetError) throw new LiwascInputError(field, error.message);
    throw error;
  }
}

/**
 * One node's port scan: TCP connect then UDP, every result streamed and kept (latest per port). The
 * port sets are checked when the job is made, so a bad request fails before anything is sent.
 */
export function runPortScan(options: PortScanJobOptions): { run(signal: AbortSignal): Promise<void> } {
  const tcpSpec = options.tcpPorts?.trim() || "top:100";
  const udpSpec = options.udpPorts?.trim() ?? "";
  const tcp = portsOf(tcpSpec, "tcp", "tcp_ports");
  const udp = udpSpec ? portsOf(udpSpec, "udp", "udp_ports") : [];
  const timeoutMs = options.timeoutMs || 1000;
  if (timeoutMs < 10 || timeoutMs > 60_000) throw new LiwascInputError("timeout_ms", "from 10 to 60000");
  const record = options.record;
  record.ports = [
    `tcp ${tcpSpec}${options.tcpMethod === "syn" ? " (syn)" : ""}`,
    ...(udp.length > 0 ? [`udp ${udpSpec}`] : []),
  ].join(", ");
  record.total = tcp.length + udp.length;
  let pending: PortRecord[] = [];
  let lastProgress = 0;
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
    const now = performance.now();
    if (now - lastProgress > progressEveryMs) {
      lastProgress = now;
      options.onProgress();
    }
  };
  const flush = () => {
    options.save(pending);
    pending = [];
  };
  return {
    async run(signal) {
      try {
        if (options.tcpMethod === "syn") {
          await synScan({
            hosts: [options.ip],
            ports: tcp,
            roundTimeoutMs: timeoutMs,
            signal,
            onResult: take("tcp"),
          });
        } else {
          await tcpConnectScan({ hosts: [options.ip], ports: tcp, timeoutMs, signal, onResult: take("tcp") });
        }
        if (udp.length > 0 && !signal.aborted) {
          await udpScan({ hosts: [options.ip], ports: udp, timeoutMs, signal, onResult: take("udp") });
        }
      } finally {
        flush();
      }
    },
  };
}
