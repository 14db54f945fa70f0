/**
 * Why a cloud call failed, in terms nodin acts on: "auth" (credentials refused: fix them, do not retry),
 * "not-found" (the machine is gone), "rate-limited" (still throttled after the bounded retries),
 * "unreachable" (no answer), "refused" (the provider said no, with its reason), "protocol" (an answer we
 * cannot read).
 */
export type CloudErrorKind = "auth" | "not-found" | "rate-limited" | "unreachable" | "refused" | "protocol";

export class CloudProviderError extends Error {
  constructor(
    readonly kind: CloudErrorKind,
    readonly provider: string,
    message: string,
    /** The HTTP status, when there was an answer. */
    readonly status?: number,
    /** The provider's own error code ("AuthFailure", "not_found", "notFound" …). */
    readonly code?: string,
  ) {
    super(`${provider}: ${message}`);
    this.name = "CloudProviderError";
  }
}

/** The kind an HTTP status stands for when the provider's own error code says nothing more precise. */
export function kindOfStatus(status: number): CloudErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not-found";
  if (status === 429) return "rate-limited";
  return "refused";
}
