/**
 * AWS Signature Version 4 (header form), as AWS's signing guide specifies and botocore's SigV4Auth does it
 * for services other than S3: the path is normalized and encoded once more, every header but User-Agent,
 * Expect and X-Amzn-Trace-Id is signed, the payload is always hashed. tests/nodin/aws_sigv4_test.ts checks
 * the canonical request and the Authorization header byte for byte against botocore.
 */

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** STS session token, sent as X-Amz-Security-Token and signed. */
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  url: URL;
  /** Headers to send (and sign); Host is derived from the URL when absent. */
  headers: Record<string, string>;
  body: string;
}

export interface SigningScope {
  credentials: AwsCredentials;
  region: string;
  service: string;
  now: Date;
}

export interface SignedRequest {
  /** The request's headers plus X-Amz-Date, X-Amz-Security-Token and Authorization. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  authorization: string;
}

const unsignedHeaders = new Set(["expect", "user-agent", "x-amzn-trace-id", "authorization"]);
const encoder = new TextEncoder();

export async function signV4(request: SignableRequest, scope: SigningScope): Promise<SignedRequest> {
  const timestamp = amzTimestamp(scope.now);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!sameName(name, "authorization") && !sameName(name, "x-amz-date")) headers[name] = value;
  }
  headers["X-Amz-Date"] = timestamp;
  if (scope.credentials.sessionToken) headers["X-Amz-Security-Token"] = scope.credentials.sessionToken;

  const canonicalRequest = await buildCanonicalRequest({ ...request, headers });
  const credentialScope = `${timestamp.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", timestamp, credentialScope, await sha256Hex(canonicalRequest)]
    .join("\n");
  const key = await signingKey(scope.credentials.secretAccessKey, timestamp.slice(0, 8), scope);
  const signature = toHex(await hmac(key, stringToSign));
  const authorization = `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaderNames(request.url, headers).join(";")}, Signature=${signature}`;
  return {
    headers: { ...headers, Authorization: authorization },
    canonicalRequest,
    stringToSign,
    authorization,
  };
}

/** The canonical request of SigV4 task 1; the fake EC2 server rebuilds it to check a client's signature. */
export async function buildCanonicalRequest(
  request: SignableRequest,
  onlyHeaders?: string[],
): Promise<string> {
  const signed = canonicalHeaderMap(request.url, request.headers, onlyHeaders);
  const names = [...signed.keys()].sort();
  const payloadHash = findHeader(request.headers, "x-amz-content-sha256") ?? await sha256Hex(request.body);
  return [
    request.method.toUpperCase(),
    canonicalPath(request.url.pathname),
    canonicalQuery(request.url.search),
    names.map((name) => `${name}:${signed.get(name)}`).join("\n") + "\n",
    names.join(";"),
    payloadHash,
  ].join("\n");
}

export function signedHeaderNames(url: URL, headers: Record<string, string>): string[] {
  return [...canonicalHeaderMap(url, headers).keys()].sort();
}

/** The signing key of SigV4 task 3: HMAC chain over date, region, service and "aws4_request". */
export async function signingKey(secret: string, date: string, scope: { region: string; service: string }) {
  const dateKey = await hmac(encoder.encode(`AWS4${secret}`), date);
  const regionKey = await hmac(dateKey, scope.region);
  const serviceKey = await hmac(regionKey, scope.service);
  return await hmac(serviceKey, "aws4_request");
}

export function amzTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function canonicalHeaderMap(url: URL, headers: Record<string, string>, onlyHeaders?: string[]) {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (unsignedHeaders.has(lower)) continue;
    if (onlyHeaders && !onlyHeaders.includes(lower)) continue;
    const trimmed = value.trim().split(/\s+/).join(" ");
    map.set(lower, map.has(lower) ? `${map.get(lower)},${trimmed}` : trimmed);
  }
  if (!map.has("host") && (!onlyHeaders || onlyHeaders.includes("host"))) map.set("host", url.host);
  return map;
}

/** Dot segments and empty segments removed, then every byte but unreserved and "/" encoded (again). */
function canonicalPath(pathname: string): string {
  if (!pathname) return "/";
  const segments: string[] = [];
  for (const segment of pathname.split("/")) {
    if (!segment || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = pathname.endsWith("/") && segments.length > 0 ? "/" : "";
  const normalized = (pathname.startsWith("/") ? "/" : "") + segments.join("/") + trailing;
  return encodeRfc3986(normalized, "/~");
}

/** Pairs decoded, encoded per RFC 3986 and sorted by key then value ("+" is a plus, not a space). */
function canonicalQuery(search: string): string {
  const raw = search.startsWith("?") ? search.slice(1) : search;
  if (!raw) return "";
  const pairs = raw.split("&").map((pair) => {
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    const value = at < 0 ? "" : pair.slice(at + 1);
    return [encodeRfc3986(decodeURIComponent(key)), encodeRfc3986(decodeURIComponent(value))];
  });
  pairs.sort(([a, x], [b, y]) => a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0);
  return pairs.map(([key, value]) => `${key}=${value}`).join("&");
}

/** Percent-encodes every UTF-8 byte except A-Z a-z 0-9 - _ . ~ and the extra safe characters given. */
export function encodeRfc3986(text: string, extraSafe = ""): string {
  let out = "";
  for (const byte of encoder.encode(text)) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char) || extraSafe.includes(char)) out += char;
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function findHeader(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

async function hmac(key: Uint8Array<ArrayBuffer>, message: string): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
