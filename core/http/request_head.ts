import { hasControlCharacter } from "../text/control.ts";

/**
 * The head of one HTTP/1.x request (RFC 9112 §2–§5), parsed straight from socket bytes for servers that
 * own their connections. Only what a file server needs is kept; everything a client sends is bounded
 * and checked, and a malformed head is an answer (status + reason), never an exception.
 */
export interface RequestHead {
  method: string;
  /** The request target exactly as sent (origin-form: path and query, still percent-encoded). */
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minorVersion: 0 | 1;
  host: string;
  range?: string;
  ifNoneMatch?: string;
  /** Whether the client wants the connection kept after this answer (RFC 9112 §9.3). */
  keepAlive: boolean;
}

export type HeadParse =
  /** No complete head yet; read more (the caller has `limit` bytes of room). */
  | { kind: "incomplete" }
  /** Answer `status` and close: the connection cannot be trusted to frame another request. */
  | { kind: "malformed"; status: number; reason: string }
  /** A request, and how many bytes of the buffer its head used (the next request starts there). */
  | { kind: "request"; head: RequestHead; consumed: number };

/** Longest head accepted; nginx's default large_client_header_buffers allow about this per line. */
export const MAX_HEAD_BYTES = 8192;
const MAX_HEADER_LINES = 100;
// RFC 9112 §2.2 asks servers to ignore at least one empty line before a request; a few are plenty.
const MAX_LEADING_EMPTY_BYTES = 16;

const LF = 0x0a;
// RFC 9110 §5.6.2 tchar, as a lookup table over bytes.
const TOKEN = new Uint8Array(256);
for (const char of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TOKEN[char.charCodeAt(0)] = 1;
}

const isToken = (text: string) => {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!TOKEN[text.charCodeAt(i)]) return false;
  return true;
};

/** Field values may hold visible ASCII, obs-text, spaces and tabs (RFC 9110 §5.5); no other controls. */
const hasBadValueByte = (text: string) => hasControlCharacter(text.replaceAll("\t", " "));

const malformed = (status: number, reason: string): HeadParse => ({ kind: "malformed", status, reason });

/** The end of the head (just past its empty line) in buffer[start, end), or -1. Bare LF ends lines too. */
function headEnd(buffer: Uint8Array, start: number, end: number): number {
  // A plain loop: indexOf would run on past `end` through stale bytes of earlier requests.
  for (let at = start; at < end; at++) {
    if (buffer[at] !== LF) continue;
    if (at + 1 < end && buffer[at + 1] === LF) return at + 2;
    if (at + 2 < end && buffer[at + 1] === 0x0d && buffer[at + 2] === LF) return at + 3;
  }
  return -1;
}

function latin1(buffer: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let at = start; at < end; at += 4096) {
    text += String.fromCharCode(...buffer.subarray(at, Math.min(end, at + 4096)));
  }
  return text;
}

/**
 * Parses the request starting at buffer[start] of the bytes buffer[start, end). Leading empty lines are
 * skipped, as RFC 9112 §2.2 asks of servers; they count toward the consumed bytes.
 */
export function parseRequestHead(
  buffer: Uint8Array,
  start: number,
  end: number,
  resumeAt = start,
): HeadParse {
  let from = start;
  while (from < end && (buffer[from] === 0x0d || buffer[from] === LF)) from++;
  if (from - start > MAX_LEADING_EMPTY_BYTES) {
    return malformed(400, "too many empty lines before the request");
  }
  // A caller that already scanned buffer[start, resumeAt) without finding the end resumes there (less
  // the two bytes an end can straddle), so a head sent a byte at a time costs linear time, not square.
  const stop = headEnd(buffer, Math.max(from, resumeAt - 2), Math.min(end, from + MAX_HEAD_BYTES));
  if (stop < 0) {
    return end - from >= MAX_HEAD_BYTES ? malformed(431, "request head too large") : { kind: "incomplete" };
  }
  const lines = latin1(buffer, from, stop).split("\n").map((line) =>
    line.endsWith("\r") ? line.slice(0, -1) : line
  );
  // The head ends with an empty line, so the split leaves two empty strings at the end.
  lines.length -= 2;
  if (lines.length - 1 > MAX_HEADER_LINES) return malformed(431, "too many header fields");

  const requestLine = /^([^ ]+) ([^ ]+) HTTP\/(\d)\.(\d)$/.exec(lines[0]);
  if (!requestLine) return malformed(400, "malformed request line");
  const [, method, target, major, minor] = requestLine;
  if (!isToken(method)) return malformed(400, "malformed method");
  if (hasControlCharacter(target)) return malformed(400, "malformed request target");
  if (major !== "1") return malformed(505, "only HTTP/1.x is served");
  const minorVersion = minor === "0" ? 0 : 1;

  let host: string | undefined;
  let range: string | undefined;
  let ifNoneMatch: string | undefined;
  let connection = "";
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    if (line.startsWith(" ") || line.startsWith("\t")) return malformed(400, "obsolete line folding");
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    // No whitespace is allowed between the name and the colon (RFC 9112 §5.1): isToken refuses it.
    if (!isToken(name)) return malformed(400, "malformed header field");
    const value = line.slice(colon + 1).trim();
    if (hasBadValueByte(value)) return malformed(400, "control character in a header value");
    switch (name.toLowerCase()) {
      case "host":
        if (host !== undefined) return malformed(400, "more than one Host");
        host = value;
        break;
      case "range":
        range = value;
        break;
      case "if-none-match":
        ifNoneMatch = value;
        break;
      case "connection":
        connection += `,${value.toLowerCase()}`;
        break;
      case "transfer-encoding":
        return malformed(413, "request bodies are not accepted");
      case "content-length":
        if (!/^0+$/.test(value)) return malformed(413, "request bodies are not accepted");
        break;
    }
  }
  if (host === undefined && minorVersion === 1) return malformed(400, "HTTP/1.1 request without Host");
  const options = connection.split(",").map((option) => option.trim());
  const keepAlive = minorVersion === 1 ? !options.includes("close") : options.includes("keep-alive");
  return {
    kind: "request",
    head: { method, target, minorVersion, host: host ?? "", range, ifNoneMatch, keepAlive },
    consumed: stop - start,
  };
}
