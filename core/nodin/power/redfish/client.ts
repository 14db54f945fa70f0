/**
 * A small Redfish HTTP client: JSON in and out, a bounded time and size for every request, and the two
 * ways DSP0266 authenticates — a session (POST to the SessionService, then X-Auth-Token) or HTTP Basic.
 * Every failure becomes a PowerDriverError whose kind says what went wrong.
 */
import { PowerDriverError } from "../driver.ts";
import { httpExchange } from "../http.ts";
import { redfishErrorMessage } from "./codec.ts";

export type RedfishAuth = "session" | "basic";

export interface RedfishClientOptions {
  /** The service's origin (scheme, host, port); paths are resolved against it and may not leave it. */
  origin: string;
  username?: string;
  password?: string;
  auth: RedfishAuth;
  timeoutMs: number;
  /** PEM of the CA that signed the BMC's certificate (BMCs often use their own). */
  caCert?: string;
}

export interface RedfishResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

const SERVICE_ROOT = "/redfish/v1/";
const DEFAULT_SESSIONS = "/redfish/v1/SessionService/Sessions";

/** A 4xx/5xx answer; the status tells a caller a stale ETag (412) from a refusal. */
export class RedfishHttpError extends PowerDriverError {
  constructor(kind: "auth" | "refused", message: string, readonly status: number) {
    super(kind, message);
  }
}

export class RedfishClient {
  readonly #options: RedfishClientOptions;
  readonly #httpClient?: Deno.HttpClient;
  #token?: string;
  #sessionUri?: string;
  /** Set once the service turned out to have no session service: Basic from then on. */
  #basicOnly: boolean;

  constructor(options: RedfishClientOptions) {
    this.#options = options;
    this.#basicOnly = options.auth === "basic";
    if (options.caCert !== undefined) this.#httpClient = Deno.createHttpClient({ caCerts: [options.caCert] });
  }

  get origin(): string {
    return this.#options.origin;
  }

  /** GET, POST, PATCH or DELETE a path of the service; throws PowerDriverError unless the answer is 2xx. */
  async request(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<RedfishResponse> {
    await this.#authenticate(init.signal);
    let response = await this.#send(method, path, init);
    if (response.status === 401 && this.#token !== undefined) {
      // The session expired or was deleted on the BMC: log in again, once.
      this.#token = undefined;
      await this.#authenticate(init.signal);
      response = await this.#send(method, path, init);
    }
    return this.#checked(method, path, response);
  }

  /** Deletes the session, if one was opened; a failure here changes nothing for the caller. */
  async logout(signal?: AbortSignal): Promise<void> {
    const uri = this.#sessionUri;
    const token = this.#token;
    this.#token = undefined;
    this.#sessionUri = undefined;
    try {
      if (uri !== undefined) await this.#send("DELETE", uri, { signal, token });
    } catch {
      // The BMC forgets idle sessions by itself (SessionTimeout).
    } finally {
      this.#httpClient?.close();
    }
  }

  async #authenticate(signal?: AbortSignal): Promise<void> {
    if (this.#basicOnly || this.#token !== undefined || this.#options.username === undefined) return;
    const root = await this.#send("GET", SERVICE_ROOT, { signal, anonymous: true });
    const sessions = sessionsPath(root.status === 200 ? root.body : undefined);
    const login = await this.#send("POST", sessions, {
      signal,
      anonymous: true,
      body: { UserName: this.#options.username, Password: this.#options.password ?? "" },
    });
    if (login.status === 404 || login.status === 405 || login.status === 501) {
      this.#basicOnly = true;
      return;
    }
    if (login.status === 401 || login.status === 403) {
      throw new PowerDriverError("auth", `Redfish ${this.origin}: login refused (HTTP ${login.status})`);
    }
    const token = login.headers.get("X-Auth-Token");
    if (login.status < 200 || login.status > 299 || token === null) {
      throw new PowerDriverError(
        "protocol",
        `Redfish ${this.origin}: session login gave HTTP ${login.status}${
          token === null ? " without X-Auth-Token" : ""
        }`,
      );
    }
    this.#token = token;
    const location = login.headers.get("Location");
    this.#sessionUri = location === null ? undefined : new URL(location, this.origin).pathname;
  }

  async #send(
    method: string,
    path: string,
    init: {
      body?: unknown;
      headers?: Record<string, string>;
      signal?: AbortSignal;
      anonymous?: boolean;
      token?: string;
    },
  ): Promise<RedfishResponse> {
    const url = new URL(path, this.origin);
    if (url.origin !== new URL(this.origin).origin) {
      throw new PowerDriverError(
        "protocol",
        `Redfish ${this.origin}: refuses to follow ${path} off the service`,
      );
    }
    const headers = new Headers({ Accept: "application/json", "OData-Version": "4.0", ...init.headers });
    if (init.body !== undefined) headers.set("Content-Type", "application/json");
    if (!init.anonymous) {
      const token = init.token ?? this.#token;
      if (token !== undefined) headers.set("X-Auth-Token", token);
      else if (this.#options.username !== undefined) {
        headers.set(
          "Authorization",
          basicAuthorization(this.#options.username, this.#options.password ?? ""),
        );
      }
    }
    const answer = await httpExchange(url, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }, {
      timeoutMs: this.#options.timeoutMs,
      signal: init.signal,
      client: this.#httpClient,
      label: "Redfish",
    });
    let body: unknown = undefined;
    if (answer.text.trim() !== "") {
      try {
        body = JSON.parse(answer.text);
      } catch {
        body = undefined;
      }
    }
    return { status: answer.status, body, headers: answer.headers };
  }

  #checked(method: string, path: string, response: RedfishResponse): RedfishResponse {
    if (response.status >= 200 && response.status <= 299) return response;
    const detail = redfishErrorMessage(response.body);
    const what = `Redfish ${method} ${path}: HTTP ${response.status}${detail ? ` (${detail})` : ""}`;
    const kind = response.status === 401 || response.status === 403 ? "auth" : "refused";
    throw new RedfishHttpError(kind, what, response.status);
  }
}

function sessionsPath(root: unknown): string {
  if (typeof root !== "object" || root === null) return DEFAULT_SESSIONS;
  const links = (root as Record<string, unknown>).Links;
  const sessions = typeof links === "object" && links !== null
    ? (links as Record<string, unknown>).Sessions
    : undefined;
  const id = typeof sessions === "object" && sessions !== null
    ? (sessions as Record<string, unknown>)["@odata.id"]
    : undefined;
  return typeof id === "string" ? id : DEFAULT_SESSIONS;
}

function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}
