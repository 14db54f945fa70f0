/**
 * DigitalOcean's API v2: JSON with a bearer token, errors as {"id", "message"}, lists paged through
 * `links.pages.next`, changes to a droplet as actions that run on after the call answers.
 */
import { type CloudErrorKind, CloudProviderError, kindOfStatus } from "../errors.ts";
import { defaultRetryPolicy, fetchWithRetry, type RetryPolicy } from "../retry.ts";

export const digitalOceanApiBase = "https://api.digitalocean.com/v2/";
const provider = "digitalocean";

export interface DoClientOptions {
  token: string;
  apiBase?: string;
  retry?: RetryPolicy;
}

export interface DoAction {
  id: number;
  status: "in-progress" | "completed" | "errored";
  type: string;
  resource_id?: number;
}

export class DoClient {
  readonly base: URL;

  constructor(private readonly options: DoClientOptions) {
    this.base = new URL(options.apiBase ?? digitalOceanApiBase);
  }

  /** A request to `path` (relative to the API base) or to an absolute URL on the API, answered as JSON. */
  async request<T>(method: string, target: string | URL, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = new URL(target, this.base);
    if (url.origin !== this.base.origin || !url.pathname.startsWith(this.base.pathname)) {
      // A link elsewhere (a page "next" to another host) would carry the token there: never followed.
      throw new CloudProviderError(
        "protocol",
        provider,
        `refusing to send the token to ${url.origin}${url.pathname}`,
      );
    }
    const response = await fetchWithRetry(
      provider,
      () =>
        Promise.resolve(
          new Request(url, {
            method,
            headers: {
              Authorization: `Bearer ${this.options.token}`,
              Accept: "application/json",
              ...(body === undefined ? {} : { "Content-Type": "application/json" }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        ),
      this.options.retry ?? defaultRetryPolicy,
      signal,
    );
    const text = await response.text();
    let parsed: unknown = {};
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CloudProviderError(
          response.ok ? "protocol" : kindOfStatus(response.status),
          provider,
          `${method} ${url.pathname}: HTTP ${response.status}, not JSON`,
          response.status,
        );
      }
    }
    if (!response.ok) {
      const error = parsed as { id?: string; message?: string };
      let kind: CloudErrorKind = kindOfStatus(response.status);
      if (error.id === "too_many_requests") kind = "rate-limited";
      throw new CloudProviderError(
        kind,
        provider,
        `${method} ${url.pathname}: ${error.message ?? `HTTP ${response.status}`}`,
        response.status,
        error.id,
      );
    }
    return parsed as T;
  }
}
