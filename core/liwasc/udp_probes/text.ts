import { latin1 } from "../../net/tftp/strings.ts";

// Text taken from replies ends up in scan results, logs and terminals, so it is reduced to printable
// ASCII: no control characters that could rewrite a terminal line, no bidi overrides, bounded length.

export const DETAIL_MAX_CHARS = 200;
/** Bytes looked at when extracting text: enough for any detail, bounded whatever the reply claims. */
const MAX_INPUT_BYTES = 4096;

/**
 * Printable ASCII of `text`: whitespace runs become one space, other unprintable characters "?", ends
 * are trimmed, and text longer than `max` is cut to end in "...".
 */
export function printable(text: string, max = DETAIL_MAX_CHARS): string {
  let out = "";
  let space = false;
  for (let i = 0; i < text.length && out.length <= max; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) {
      space = out.length > 0;
      continue;
    }
    if (space) out += " ";
    space = false;
    out += code > 0x20 && code < 0x7f ? text[i] : "?";
  }
  return out.length > max ? `${out.slice(0, max - 3)}...` : out;
}

/** printable() of bytes taken one character per byte; multi-byte UTF-8 shows as "?" per byte. */
export function printableBytes(bytes: Uint8Array, max = DETAIL_MAX_CHARS): string {
  return printable(latin1(bytes, 0, Math.min(bytes.length, MAX_INPUT_BYTES)), max);
}
