import { type Decoded, decoded, decodeFailure } from "../errors.ts";

// The transfer mode of a request (RFC 1350 §1): "octet" moves bytes as they are, "netascii" converts line
// ends (netascii.ts). Modes are case-insensitive. "mail" (deliver to a user's mailbox) is obsolete: it
// is refused like any mode this codec does not know, so a request naming it does not decode.

export type TftpMode = "octet" | "netascii";

export const TFTP_MODES: readonly TftpMode[] = ["octet", "netascii"];

/** The mode named in a request, matched case-insensitively; "mail" and unknown names fail. */
export function parseMode(text: string): Decoded<TftpMode> {
  const mode = text.toLowerCase();
  if (mode === "octet" || mode === "netascii") return decoded(mode);
  if (mode === "mail") return decodeFailure("tftp", 'mode "mail" is obsolete and not supported');
  return decodeFailure("tftp", `unknown mode ${JSON.stringify(text.slice(0, 40))}`);
}
