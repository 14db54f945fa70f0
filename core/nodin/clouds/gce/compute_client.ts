/**
 * Compute Engine's v1 REST API: JSON over HTTPS with a bearer token from the service account, errors as
 * `{"error": {"code", "message", "errors": [{"reason"}]}}`, and every change an Operation polled until
 * DONE (its own `error` then says whether the change happened).
 */
import { type CloudErrorKind, CloudProviderError, kindOfStatus } from "../errors.ts";
import { defaultRetryPolicy, fetchWithRetry, type RetryPolicy } from "../retry.ts";
import type { ServiceAccountTokenSource } from "./service_account_token.ts";

export const computeApiBase = "https://compute.googleapis.com/compute/v1/";
const provider = "gce";

export interface ComputeOperation {
  name: string;
  zone?: string;
  status: "PENDING" | "RUNNING" | "DONE";
  operationType?: string;
  targetLink?: string;
  error?: { errors?: { code?: string; message?: string }[] };
  httpErrorStatusCode?: number;
}

export interface ComputeClientOptions {
  project: string;
  tokens: ServiceAccountTokenSource;
  apiBase?: string;
  retry?: RetryPolicy;
  /** How long a change may take before we stop waiting for its operation. */
  operationTimeoutMs?: number;
  /** First wait between operation polls; it doubles up to 2 s. */
  pollIntervalMs?: number;
}

export class ComputeClient {
  readonly base: URL;

  constructor(private readonly options: ComputeClientOptions) {
    this.base = new URL(
      `projects/${encodeURIComponent(options.project)}/`,
      options.apiBase ?? computeApiBase,
    );
  }

  /** A request relative to the project (`zones/z/instances`), answered as JSON. */
  async request<T>(
    method: string,
    path: string,
    options: { query?: Record<string, string>; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const url = new URL(path, this.base);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    const send = () =>
      fetchWithRetry(
        provider,
        async () =>
          new Request(url, {
            method,
            headers: {
              Authorization: `Bearer ${await this.options.tokens.token(options.signal)}`,
              Accept: "application/json",
              ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
            },
            body: options.body === undefined ? undefined : JSON.stringify(options.body),
          }),
        this.options.retry ?? defaultRetryPolicy,
        options.signal,
      );
    let response = await send();
    if (response.status === 401) {
      // The token may have been revoked or expired early: one fresh token, then the refusal stands.
      await response.body?.cancel();
      this.options.tokens.invalidate();
      response = await send();
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new CloudProviderError(
        response.ok ? "protocol" : kindOfStatus(response.status),
        provider,
        `${method} ${path}: HTTP ${response.status}, not JSON`,
        response.status,
      );
    }
    if (!response.ok) throw errorFrom(`${method} ${path}`, response.status, body);
    return body as T;
  }

  /** Polls a zone operation until DONE; throws the operation's own error, if it has one. */
  async waitForZoneOperation(zone: string, started: ComputeOperation, signal?: AbortSignal) {
    const deadline = Date.now() + (this.options.operationTimeoutMs ?? 300_000);
    let operation = started;
    let interval = this.options.pollIntervalMs ?? 250;
    while (operation.status !== "DONE") {
      if (Date.now() > deadline) {
        throw new CloudProviderError(
          "unreachable",
          provider,
          `operation ${operation.name} did not finish in time`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(interval * 2, 2_000);
      signal?.throwIfAborted();
      operation = await this.request<ComputeOperation>(
        "GET",
        `zones/${encodeURIComponent(zone)}/operations/${encodeURIComponent(operation.name)}`,
        { signal },
      );
    }
    const failure = operation.error?.errors?.[0];
    if (failure) {
      const status = operation.httpErrorStatusCode ?? 400;
      throw new CloudProviderError(
        failure.code === "RESOURCE_NOT_FOUND" ? "not-found" : kindOfStatus(status),
        provider,
        `${operation.operationType ?? "operation"} ${operation.targetLink ?? ""}: ${
          failure.message ?? failure.code
        }`,
        status,
        failure.code,
      );
    }
    return operation;
  }
}

function errorFrom(what: string, status: number, body: unknown): CloudProviderError {
  const error =
    (body as { error?: { message?: string; errors?: { reason?: string }[]; status?: string } }).error;
  const reason = error?.errors?.[0]?.reason ?? error?.status;
  let kind: CloudErrorKind = kindOfStatus(status);
  if (
    reason === "rateLimitExceeded" || reason === "userRateLimitExceeded" || reason === "RESOURCE_EXHAUSTED"
  ) {
    kind = "rate-limited";
  }
  return new CloudProviderError(
    kind,
    provider,
    `${what}: ${error?.message ?? `HTTP ${status}`}`,
    status,
    reason,
  );
}
