import { Registry } from "../metrics/registry.ts";
import type { TransferResult } from "./tftp/transfer_result.ts";

/** The two ports boot files go out on: the API's, and --boot-http-listen's sendfile server. */
export type BootHttpPort = "main" | "sendfile";

/**
 * Why a request was refused. `path_traversal`: a name the jail refuses (`..`, outside the root, a
 * symlink out, control characters); `busy`: no transfer slot free. The rest say what they are.
 */
export type RefusalReason =
  | "path_traversal"
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "bad_request"
  | "conflict"
  | "too_large"
  | "busy";

/** How one run of the boot rules for a machine ended. */
export type RuleEvaluation = "decided" | "failed" | "timed_out" | "no_rules";

/**
 * bofied's metrics (`ctpf_bofied_*`). Bofied holds one and hands it to the pieces that count: each
 * counter moves where the thing it counts happens. Labels take only the fixed values above (never a
 * file name or a client address), so the series stay few.
 */
export class BofiedMetrics {
  readonly #tftpStarted;
  readonly #tftpEnded;
  readonly #tftpActive;
  readonly #tftpBytes;
  readonly #httpRequests;
  readonly #httpBytes;
  readonly #davWrites;
  readonly #refusals;
  readonly #proxyReplies;
  readonly #ruleEvaluations;

  /** Without a registry (unit tests of one piece), the counts go nowhere anyone scrapes. */
  constructor(registry = new Registry()) {
    this.#tftpStarted = registry.counter(
      "ctpf_bofied_tftp_transfers_started_total",
      "TFTP read transfers started (the file was found and the first packet is going out).",
    );
    this.#tftpEnded = registry.counter(
      "ctpf_bofied_tftp_transfers_total",
      "TFTP read transfers ended: completed, or failed by reason (timeout, client_error, server_stopping, error).",
      ["result", "reason"],
    );
    this.#tftpActive = registry.gauge("ctpf_bofied_tftp_transfers_active", "TFTP read transfers under way.");
    this.#tftpBytes = registry.counter(
      "ctpf_bofied_tftp_bytes_sent_total",
      "File bytes TFTP clients acknowledged (retransmissions not counted twice).",
    );
    this.#httpRequests = registry.counter(
      "ctpf_bofied_http_requests_total",
      "Boot and private file requests answered over HTTP, by port (main, sendfile) and status.",
      ["port", "status"],
    );
    this.#httpBytes = registry.counter(
      "ctpf_bofied_http_bytes_sent_total",
      "File bytes in HTTP answers (bodies of 200 and 206), by port (main, sendfile).",
      ["port"],
    );
    this.#davWrites = registry.counter(
      "ctpf_bofied_webdav_writes_total",
      "WebDAV writes done (PUT, MKCOL, DELETE, MOVE, COPY), by method.",
      ["method"],
    );
    this.#refusals = registry.counter(
      "ctpf_bofied_refusals_total",
      "Requests refused, by protocol (tftp, http, webdav) and reason.",
      ["protocol", "reason"],
    );
    this.#proxyReplies = registry.counter(
      "ctpf_bofied_proxy_dhcp_replies_total",
      "proxyDHCP answers sent: offer (port 67) and ack (port 4011).",
      ["type"],
    );
    this.#ruleEvaluations = registry.counter(
      "ctpf_bofied_rule_evaluations_total",
      "Runs of the boot rules for one machine, by result (decided, failed, timed_out, no_rules).",
      ["result"],
    );
  }

  /** Counts one transfer around `send`: started, under way, and how it ended, even if it throws. */
  async tftpTransfer(send: () => Promise<TransferResult>): Promise<TransferResult> {
    this.#tftpStarted.inc();
    this.#tftpActive.add(1);
    try {
      const result = await send();
      this.#tftpBytes.inc({}, result.bytes);
      this.#tftpEnded.inc(
        result.ok ? { result: "completed" } : { result: "failed", reason: result.failure ?? "error" },
      );
      return result;
    } catch (error) {
      this.#tftpEnded.inc({ result: "failed", reason: "error" });
      throw error;
    } finally {
      this.#tftpActive.add(-1);
    }
  }

  httpAnswered(port: BootHttpPort, status: number, bytes: number): void {
    this.#httpRequests.inc({ port, status: String(status) });
    if (bytes > 0) this.#httpBytes.inc({ port }, bytes);
  }

  /** A file request refused before any file was found: an answer on its port and a refusal. */
  httpRefused(port: BootHttpPort, status: number, reason: RefusalReason): void {
    this.#httpRequests.inc({ port, status: String(status) });
    this.refused("http", reason);
  }

  refused(protocol: "tftp" | "http" | "webdav", reason: RefusalReason): void {
    this.#refusals.inc({ protocol, reason });
  }

  davWrite(method: string): void {
    this.#davWrites.inc({ method });
  }

  proxyDhcpReply(type: "offer" | "ack"): void {
    this.#proxyReplies.inc({ type });
  }

  ruleEvaluated(result: RuleEvaluation): void {
    this.#ruleEvaluations.inc({ result });
  }
}
