/**
 * The Wake-on-LAN power driver, through liwasc's Connect API (LiwascService): "on" is a wake (the magic
 * packets leave on liwasc's interfaces, and liwasc follows the node with ARP until it answers); power is
 * what liwasc saw: a wake still waiting is "powering-on", an ARP answer in the latest scan or to a wake
 * since is "on", none is "off". Wake-on-LAN cannot power anything off.
 *
 * Over the API, so the same driver works against a standalone liwasc (a URL and a token) and inside
 * ctpf (the same URL, or an in-process transport).
 *
 * BMC reference: address is liwasc's URL ("http://10.0.0.2:8473"); options: mac (required), ip (the
 * address liwasc follows; default the node's last known one), interface (default the one liwasc last saw
 * the node on), wakeTimeoutSeconds (how long liwasc follows, default liwasc's 120), timeoutMs (per API
 * call, default 10000). Credential: extra.token (or password): liwasc's API token; extra.secureOn: the
 * SecureOn password, where the NIC wants one.
 */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { LiwascService, type Node, type Wake, WakeState } from "../../../api/gen/ctpf/v1/liwasc_pb.ts";
import {
  type BmcReference,
  type Credential,
  type DriverFactory,
  type PowerAction,
  type PowerCapabilities,
  type PowerDriver,
  PowerDriverError,
  type PowerObservation,
} from "../driver.ts";

const DEFAULT_TIMEOUT_MS = 10_000;

const WOL_CAPABILITIES: PowerCapabilities = { status: true, actions: ["on"], bootDevices: [] };

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export class WolDriver implements PowerDriver {
  readonly driver = "wol";
  readonly #client;
  readonly #mac: string;
  readonly #ip: string;
  readonly #interface: string;
  readonly #wakeTimeoutSeconds: number;
  readonly #secureOn: string;
  readonly #timeoutMs: number;
  readonly #where: string;

  /** `transport` replaces the HTTP one (ctpf hands its in-process transport here). */
  constructor(bmc: BmcReference, credential: Credential | undefined, transport?: Transport) {
    const mac = (bmc.options?.mac ?? "").toLowerCase().replaceAll("-", ":");
    if (!MAC.test(mac)) {
      throw new PowerDriverError("unsupported", `wol needs options.mac (got "${bmc.options?.mac ?? ""}")`);
    }
    this.#mac = mac;
    this.#ip = bmc.options?.ip ?? "";
    this.#interface = bmc.options?.interface ?? "";
    this.#wakeTimeoutSeconds = Math.max(0, Math.floor(Number(bmc.options?.wakeTimeoutSeconds ?? 0)) || 0);
    this.#secureOn = credential?.extra?.secureOn ?? "";
    const timeoutMs = Number(bmc.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.#timeoutMs = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
    this.#where = `liwasc ${bmc.address}`;
    const token = credential?.extra?.token ?? credential?.password;
    this.#client = createClient(
      LiwascService,
      transport ?? createConnectTransport({
        baseUrl: bmc.address,
        interceptors: token === undefined
          ? []
          : [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))],
      }),
    );
  }

  capabilities(): PowerCapabilities {
    return WOL_CAPABILITIES;
  }

  async status(signal?: AbortSignal): Promise<PowerObservation> {
    let answer: { node?: Node; wakes: Wake[] };
    try {
      answer = await this.#client.getNode({ mac: this.#mac }, { signal, timeoutMs: this.#timeoutMs });
    } catch (error) {
      const failure = this.#failure(error, "GetNode");
      const evidence = failure.kind === "refused" && ConnectError.from(error).code === Code.NotFound
        ? `${this.#where} has not seen ${this.#mac}`
        : `${failure.kind}: ${failure.message}`;
      return { state: "unknown", at: new Date(), evidence };
    }
    return { ...observe(this.#mac, answer.node, answer.wakes), at: new Date() };
  }

  async act(action: PowerAction, signal?: AbortSignal): Promise<void> {
    if (action !== "on") {
      throw new PowerDriverError("unsupported", `Wake-on-LAN can only power on, not "${action}"`);
    }
    try {
      const { wake } = await this.#client.startWake({
        mac: this.#mac,
        interface: this.#interface,
        ip: this.#ip,
        password: this.#secureOn,
        timeoutSeconds: this.#wakeTimeoutSeconds,
      }, { signal, timeoutMs: this.#timeoutMs });
      if (wake?.state === WakeState.FAILED) {
        throw new PowerDriverError("refused", `${this.#where}: wake of ${this.#mac} failed: ${wake.error}`);
      }
    } catch (error) {
      if (error instanceof PowerDriverError) throw error;
      throw this.#failure(error, "StartWake");
    }
  }

  #failure(error: unknown, method: string): PowerDriverError {
    const connect = ConnectError.from(error);
    const what = `${this.#where} ${method}: ${connect.rawMessage || connect.message}`;
    switch (connect.code) {
      case Code.Unauthenticated:
      case Code.PermissionDenied:
        return new PowerDriverError("auth", what);
      case Code.Unavailable:
      case Code.DeadlineExceeded:
      case Code.Unknown:
      case Code.Internal:
        return new PowerDriverError("unreachable", what);
      default:
        return new PowerDriverError("refused", what);
    }
  }
}

function millis(timestamp: { seconds: bigint; nanos: number } | undefined): number {
  return timestamp === undefined ? 0 : Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6);
}

/** What liwasc's record of a node and its wakes say about its power. */
export function observe(
  mac: string,
  node: Node | undefined,
  wakes: Wake[],
): Omit<PowerObservation, "at"> {
  const latest = wakes.toSorted((a, b) => millis(b.started) - millis(a.started))[0];
  if (latest !== undefined && (latest.state === WakeState.SENT || latest.state === WakeState.WAITING)) {
    return {
      state: "powering-on",
      evidence:
        `liwasc wake ${latest.id}: ${latest.packetsSent} magic packets, ${latest.probes} ARP probes, no answer yet`,
    };
  }
  const lastSeen = millis(node?.lastSeen);
  if (node?.online) {
    return {
      state: "on",
      evidence: `liwasc: ${mac} answered ARP in the latest scan of ${node.interface} (last seen ${
        new Date(lastSeen).toISOString()
      })`,
    };
  }
  if (latest?.state === WakeState.AWAKE && millis(latest.finished) >= lastSeen) {
    return {
      state: "on",
      evidence: `liwasc wake ${latest.id}: ${latest.ip || mac} answered ARP at ${
        new Date(millis(latest.finished)).toISOString()
      }`,
    };
  }
  return {
    state: "off",
    evidence: `liwasc: no ARP answer from ${mac} in the latest scan${
      lastSeen ? ` (last seen ${new Date(lastSeen).toISOString()})` : ""
    }${latest ? `; latest wake ${WakeState[latest.state].toLowerCase()}` : ""}`,
  };
}

export const wolFactory: DriverFactory = {
  driver: "wol",
  summary: "Wake-on-LAN through liwasc: on only; power from liwasc's ARP scans and wake follow-up",
  capabilities: WOL_CAPABILITIES,
  create: (bmc, credential) => new WolDriver(bmc, credential),
};
