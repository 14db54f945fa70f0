import { latin1 } from "../../net/tftp/strings.ts";

// The HTTP-shaped messages of SSDP (HTTP over UDP, UPnP Device Architecture 1.1 §1) and SIP (RFC 3261
// §7): a start line, "Name: value" header lines, an empty line, maybe a body. Only what recognisers need
// is kept: the start line and the first value of each header, by lower-cased name.

/** Replies are small; a header block past this is not one worth reading. */
const MAX_HEADER_BYTES = 16384;

export interface HeaderMessage {
  readonly startLine: string;
  /** First value of each header, keyed by lower-cased name, whitespace around it trimmed. */
  readonly headers: ReadonlyMap<string, string>;
}

/**
 * The start line and headers, or undefined when the block does not end in an empty line (a truncated
 * reply) or a line is not a header. Lines may end in CRLF or a bare LF; a line starting with a space or
 * tab continues the previous header (RFC 3261 §7.3.1).
 */
export function readHeaderMessage(bytes: Uint8Array): HeaderMessage | undefined {
  const text = latin1(bytes, 0, Math.min(bytes.length, MAX_HEADER_BYTES));
  const blockEnd = text.search(/\r?\n\r?\n/);
  if (blockEnd < 0) return undefined;
  const [startLine, ...lines] = text.slice(0, blockEnd).split(/\r?\n/);
  const headers = new Map<string, string>();
  // The header a continuation line extends; null while a repeated header, whose value is not kept, runs.
  let last: string | null | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (last === undefined) return undefined;
      if (last !== null) headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon <= 0 || !/^[!#-'*+.0-9A-Z^-z|~-]+$/i.test(name)) return undefined;
    if (headers.has(name)) {
      last = null;
      continue;
    }
    headers.set(name, line.slice(colon + 1).trim());
    last = name;
  }
  return { startLine, headers };
}
