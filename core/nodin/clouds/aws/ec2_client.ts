/**
 * EC2's Query API: every call is a form-encoded POST (Action, Version, flattened parameters) signed with
 * SigV4, answered with XML; errors come as `<Response><Errors><Error><Code>`. Throttling is retried by
 * fetchWithRetry; the error codes become CloudProviderError kinds.
 */
import { CloudProviderError, kindOfStatus } from "../errors.ts";
import { defaultRetryPolicy, fetchWithRetry, type RetryPolicy } from "../retry.ts";
import { type AwsCredentials, signV4 } from "./sigv4.ts";
import { type Element, parseXmlDocument, textAt } from "./xml.ts";

export const ec2ApiVersion = "2016-11-15";
const provider = "aws-ec2";

export interface Ec2ClientOptions {
  region: string;
  credentials: AwsCredentials;
  /** Defaults to https://ec2.<region>.amazonaws.com/. */
  endpoint?: string;
  retry?: RetryPolicy;
  now?: () => Date;
}

const authCodes = new Set([
  "AuthFailure",
  "SignatureDoesNotMatch",
  "InvalidClientTokenId",
  "UnauthorizedOperation",
  "MissingAuthenticationToken",
  "RequestExpired",
  "OptInRequired",
]);

export class Ec2Client {
  readonly endpoint: URL;

  constructor(private readonly options: Ec2ClientOptions) {
    this.endpoint = new URL(options.endpoint ?? `https://ec2.${options.region}.amazonaws.com/`);
  }

  /** Calls `action` and returns the root element of the answer. */
  async call(action: string, params: Record<string, string>, signal?: AbortSignal): Promise<Element> {
    const body = new URLSearchParams({ Action: action, Version: ec2ApiVersion, ...params }).toString();
    const build = async () => {
      const signed = await signV4(
        {
          method: "POST",
          url: this.endpoint,
          headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
          body,
        },
        {
          credentials: this.options.credentials,
          region: this.options.region,
          service: "ec2",
          now: this.options.now?.() ?? new Date(),
        },
      );
      return new Request(this.endpoint, { method: "POST", headers: signed.headers, body });
    };
    const response = await fetchWithRetry(provider, build, this.options.retry ?? defaultRetryPolicy, signal);
    const text = await response.text();
    let root: Element;
    try {
      root = parseXmlDocument(text);
    } catch (error) {
      throw new CloudProviderError(
        response.ok ? "protocol" : kindOfStatus(response.status),
        provider,
        `${action}: HTTP ${response.status}, unreadable answer (${(error as Error).message})`,
        response.status,
      );
    }
    if (!response.ok || root.localName === "Response") throw errorFrom(action, response.status, root);
    return root;
  }
}

function errorFrom(action: string, status: number, root: Element): CloudProviderError {
  const code = textAt(root, "Errors/Error/Code");
  const message = textAt(root, "Errors/Error/Message") || `HTTP ${status}`;
  let kind = kindOfStatus(status);
  if (authCodes.has(code)) kind = "auth";
  else if (code.endsWith(".NotFound") || code.endsWith(".Malformed")) kind = "not-found";
  else if (code === "RequestLimitExceeded" || code === "Throttling") kind = "rate-limited";
  else if (status >= 500) kind = "refused";
  return new CloudProviderError(kind, provider, `${action}: ${code || "error"}: ${message}`, status, code);
}
