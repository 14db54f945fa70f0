/**
 * The webhook power driver, for machines powered by something nodin does not speak (smart plugs, a home
 * automation hub, a script behind an HTTP endpoint): every action and every status query is one POST.
 *
 *   POST <address>            ("{action}" in the address is replaced, for endpoints with a URL per action)
 *   Content-Type: application/json
 *   Authorization: Bearer <token>              when the credential has extra.token (or a password)
 *   X-Nodin-Timestamp: <unix seconds>
 *   X-Nodin-Signature: sha256=<hex>           HMAC-SHA256 of "<timestamp>.<body>" with extra.hmacKey
 *   {"action": "status" | "on" | "off" | "soft-off" | "cycle" | "reset", "node": "<options.node>",
 *    "requestId": "<uuid>"}
 *
 * Any 2xx accepts an action. A status answer is JSON with "state" (or "power"): "on", "off",
 * "powering-on" or "powering-off". 401/403 are credential errors. Options: actions (comma list of what the
 * endpoint does, default "on,off"), status ("false" when the endpoint cannot tell), node, timeoutMs
 * (default 10000).
 */
import {
  type BmcReference,
  type Credential,
  type DriverFactory,
  type PowerAction,
  type PowerCapabilities,
  type PowerDriver,
  PowerDriverError,
  type PowerObservation,
  type PowerState,
} from "../driver.ts";
import { httpExchange } from "../http.ts";
import { signatureHeader } from "./signature.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const ALL_ACTIONS: PowerAction[] = ["on", "off", "soft-off", "cycle", "reset"];
const STATES: PowerState[] = ["on", "off", "powering-on", "powering-off"];

export class WebhookDriver implements PowerDriver {
  readonly driver = "webhook";
  readonly #address: string;
  readonly #capabilities: PowerCapabilities;
  readonly #node: string;
  readonly #timeoutMs: number;
  readonly #token?: string;
  readonly #hmacKey?: string;

  constructor(bmc: BmcReference, credential: Credential | undefined) {
    const probe = new URL(bmc.address.replaceAll("{action}", "status"));
    if (probe.protocol !== "https:" && probe.protocol !== "http:") {
      throw new PowerDriverError("unsupported", `webhook address ${bmc.address}: not http(s)`);
    }
    this.#address = bmc.address;
    const actions = (bmc.options?.actions ?? "on,off").split(",").map((action) => action.trim());
    const unknown = actions.filter((action) => !ALL_ACTIONS.includes(action as PowerAction));
    if (unknown.length > 0) {
      throw new PowerDriverError("unsupported", `webhook actions: unknown ${unknown.join(", ")}`);
    }
    this.#capabilities = {
      status: bmc.options?.status !== "false",
      actions: ALL_ACTIONS.filter((action) => actions.includes(action)),
      bootDevices: [],
    };
    this.#node = bmc.options?.node ?? "";
    const timeoutMs = Number(bmc.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.#timeoutMs = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
    this.#token = credential?.extra?.token ?? credential?.password;
    this.#hmacKey = credential?.extra?.hmacKey;
  }

  capabilities(): PowerCapabilities {
    return this.#capabilities;
  }

  async status(signal?: AbortSignal): Promise<PowerObservation> {
    if (!this.#capabilities.status) {
      return { state: "unknown", at: new Date(), evidence: "webhook: this endpoint reports no status" };
    }
    try {
      const { url, text } = await this.#post("status", signal);
      const state = stateOf(text);
      if (state === undefined) {
        throw new PowerDriverError(
          "protocol",
          `webhook ${url}: status answer without a known state: ${clip(text)}`,
        );
      }
      return { state, at: new Date(), evidence: `webhook POST ${url} status: ${state}` };
    } catch (error) {
      if (!(error instanceof PowerDriverError)) throw error;
      return { state: "unknown", at: new Date(), evidence: `${error.kind}: ${error.message}` };
    }
  }

  async act(action: PowerAction, signal?: AbortSignal): Promise<void> {
    if (!this.#capabilities.actions.includes(action)) {
      throw new PowerDriverError("unsupported", `webhook ${this.#address}: not configured for "${action}"`);
    }
    await this.#post(action, signal);
  }

  async #post(action: string, signal?: AbortSignal): Promise<{ url: string; text: string }> {
    const url = new URL(this.#address.replaceAll("{action}", encodeURIComponent(action)));
    const body = JSON.stringify({ action, node: this.#node, requestId: crypto.randomUUID() });
    const headers = new Headers({
      "Content-Type": "application/json",
      Accept: "application/json",
      "User-Agent": "ctpf-nodin",
    });
    if (this.#token !== undefined) headers.set("Authorization", `Bearer ${this.#token}`);
    if (this.#hmacKey !== undefined) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      headers.set("X-Nodin-Timestamp", timestamp);
      headers.set("X-Nodin-Signature", await signatureHeader(this.#hmacKey, timestamp, body));
    }
    const answer = await httpExchange(url, { method: "POST", headers, body }, {
      timeoutMs: this.#timeoutMs,
      signal,
      maxBytes: 64 << 10,
      label: "webhook",
    });
    const what = `webhook POST ${url.href} ${action}: HTTP ${answer.status}`;
    if (answer.status === 401 || answer.status === 403) throw new PowerDriverError("auth", what);
    if (answer.status < 200 || answer.status > 299) {
      throw new PowerDriverError("refused", `${what}${answer.text ? ` (${clip(answer.text)})` : ""}`);
    }
    return { url: url.href, text: answer.text };
  }
}

function stateOf(text: string): PowerState | undefined {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof reply !== "object" || reply === null) return undefined;
  const value = (reply as Record<string, unknown>).state ?? (reply as Record<string, unknown>).power;
  return STATES.find((state) => state === value);
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export const webhookFactory: DriverFactory = {
  driver: "webhook",
  summary: "Webhook: a JSON POST per action and status, bearer token and HMAC signature",
  capabilities: { status: true, actions: ALL_ACTIONS, bootDevices: [] },
  create: (bmc, credential) => new WebhookDriver(bmc, credential),
};
