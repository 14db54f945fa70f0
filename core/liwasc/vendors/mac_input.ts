// MAC text as people paste it: Linux and Windows tools print "aa:bb:…" or "aa-bb-…", Cisco "aabb.ccdd.eeff".
import { AddressSyntaxError } from "../../net/errors.ts";
import { MAC_LENGTH, type MacAddress, readMac } from "../../net/mac.ts";

const SEPARATED = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;
const DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;
const EXPECTED = 'expected 6 octets as "aa:bb:cc:dd:ee:ff", "aa-bb-cc-dd-ee-ff" or "aabb.ccdd.eeff"';

/** Error messages quote the input; a huge one (from a fuzzer or a bad upload) must not make a huge message. */
function quotable(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/**
 * A MAC address from text (the three notations above, any case, nothing around it) or from its 6 bytes.
 * Anything else throws an AddressSyntaxError, the one error callers need to catch.
 */
export function macFromInput(input: string | Uint8Array): MacAddress {
  if (input instanceof Uint8Array) {
    if (input.length !== MAC_LENGTH) {
      throw new AddressSyntaxError("MAC address", `<${input.length} bytes>`, "expected 6 bytes");
    }
    return readMac(input, 0);
  }
  if (typeof input !== "string") {
    throw new AddressSyntaxError("MAC address", `<${typeof input}>`, "expected a string or a Uint8Array");
  }
  if (!SEPARATED.test(input) && !DOTTED.test(input)) {
    throw new AddressSyntaxError("MAC address", quotable(input), EXPECTED);
  }
  return Number.parseInt(input.replace(/[:.-]/g, ""), 16);
}
