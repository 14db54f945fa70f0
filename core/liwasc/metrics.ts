import { Registry } from "../metrics/registry.ts";
import type { JobOutcome } from "./jobs/job.ts";
import type { NodeRecord, ScanKind, WakeState } from "./model.ts";

/** What a probe is: an ARP request, a half-open SYN, a full TCP connect, or a UDP datagram. */
export type ProbeKind = "arp" | "syn" | "tcp_connect" | "udp";

/**
 * What scanners count into: a probe sent, and an answer to one (an ARP reply, a SYN-ACK or RST, a
 * connect that was accepted or refused, a UDP reply or port-unreachable).
 */
export interface ProbeCounter {
  sent(kind: ProbeKind, count?: number): void;
  answered(kind: ProbeKind, count?: number): void;
}

/**
 * liwasc's metrics (`ctpf_liwasc_*`). Liwasc holds one; scanners get it as their ProbeCounter, the job
 * kinds count scans and wakes as they start and end. Labels take fixed values only (never an address).
 */
export class LiwascMetrics implements ProbeCounter {
  readonly #probes;
  readonly #answers;
  readonly #scansStarted;
  readonly #scansEnded;
  readonly #scansRunning;
  readonly #nodesFound;
  readonly #wakesStarted;
  readonly #wakesEnded;
  readonly #magicPackets;

  /** `nodes` is read at scrape time for the node gauges. */
  constructor(registry = new Registry(), nodes: () => readonly NodeRecord[] = () => []) {
    this.#probes = registry.counter(
      "ctpf_liwasc_probes_sent_total",
      "Probes sent, by kind (arp, syn, tcp_connect, udp); wakes' ARP follow-ups count as arp.",
      ["kind"],
    );
    this.#answers = registry.counter(
      "ctpf_liwasc_replies_received_total",
      "Answers to probes, by kind: ARP replies, SYN-ACK or RST, connects accepted or refused, UDP replies or port-unreachable.",
      ["kind"],
    );
    this.#scansStarted = registry.counter(
      "ctpf_liwasc_scans_started_total",
      "Scans started, by kind (node, port).",
      ["kind"],
    );
    this.#scansEnded = registry.counter(
      "ctpf_liwasc_scans_total",
      "Scans ended, by kind (node, port) and result (done, cancelled, failed).",
      ["kind", "result"],
    );
    this.#scansRunning = registry.gauge("ctpf_liwasc_scans_running", "Scans running, by kind.", ["kind"]);
    this.#nodesFound = registry.counter(
      "ctpf_liwasc_nodes_found_total",
      "Nodes seen for the first time (a MAC not in the node list).",
    );
    registry.gaugeFunc("ctpf_liwasc_nodes_known", "Nodes in the node list.", () => nodes().length);
    registry.gaugeFunc(
      "ctpf_liwasc_nodes_online",
      "Nodes that answered their last scan.",
      () => nodes().filter((node) => node.online).length,
    );
    this.#wakesStarted = registry.counter("ctpf_liwasc_wakes_started_total", "Wakes started.");
    this.#wakesEnded = registry.counter(
      "ctpf_liwasc_wakes_total",
      "Wakes ended, by result: awake, timed_out, sent (no address to follow), cancelled, failed.",
      ["result"],
    );
    this.#magicPackets = registry.counter(
      "ctpf_liwasc_magic_packets_sent_total",
      "Wake-on-LAN magic packets sent (one per transport: Ethernet frame, UDP broadcast).",
    );
  }

  sent(kind: ProbeKind, count = 1): void {
    if (count > 0) this.#probes.inc({ kind }, count);
  }

  answered(kind: ProbeKind, count = 1): void {
    if (count > 0) this.#answers.inc({ kind }, count);
  }

  scanStarted(kind: ScanKind): void {
    this.#scansStarted.inc({ kind });
    this.#scansRunning.add(1, { kind });
  }

  scanEnded(kind: ScanKind, outcome: JobOutcome): void {
    this.#scansEnded.inc({ kind, result: outcome });
    this.#scansRunning.add(-1, { kind });
  }

  nodesFound(count: number): void {
    if (count > 0) this.#nodesFound.inc({}, count);
  }

  wakeStarted(): void {
    this.#wakesStarted.inc();
  }

  wakeEnded(state: WakeState): void {
    this.#wakesEnded.inc({ result: state.replaceAll("-", "_") });
  }

  magicPacketsSent(count: number): void {
    if (count > 0) this.#magicPackets.inc({}, count);
  }
}
