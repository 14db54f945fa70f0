import { toHexString } from "../bytes.ts";
import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { formatIpv4, type Ipv4Address, parseCidr, parseIpv4 } from "../ipv4addr.ts";
import { BOOL, I32, IPV4, IPV4_LIST, type OptionCodec, TEXT, U16, U16_LIST, U32, U8 } from "./values.ts";
import { type ClasslessRoute, decodeClasslessRoutes, encodeClasslessRoutes } from "./routes.ts";
import { decodeDomainSearch, encodeDomainSearch } from "./domain_search.ts";

// Operator-defined options: an option code plus a kind says how text from configuration or the API
// becomes option bytes and how bytes are shown back. Parsing is strict (a typo must not put a different
// value on the wire) and errors name the option, the kind and the offending text.

export type OptionKind =
  | "ipv4"
  | "ipv4-list"
  | "u8"
  | "u16"
  | "u32"
  | "i32"
  | "bool"
  | "string"
  | "hex"
  | "routes"
  | "domains"
  | "u16-list";

export const OPTION_KINDS: readonly OptionKind[] = [
  "ipv4",
  "ipv4-list",
  "u8",
  "u16",
  "u32",
  "i32",
  "bool",
  "string",
  "hex",
  "routes",
  "domains",
  "u16-list",
];

export function isOptionKind(text: string): text is OptionKind {
  return (OPTION_KINDS as readonly string[]).includes(text);
}

/**
 * Option text that does not parse as its kind, e.g.
 * `option 150 (ipv4-list): "10.0.0.300" is not an IPv4 address`.
 */
export class OptionValueSyntaxError extends TypeError {
  constructor(
    readonly kind: OptionKind,
    readonly input: string,
    readonly reason: string,
    readonly code?: number,
  ) {
    super(`${code === undefined ? kind : `option ${code} (${kind})`}: ${reason}`);
    this.name = "OptionValueSyntaxError";
  }
}

/** Items of a list: separated by commas, spaces around them ignored; no empty items. */
function listItems(text: string): string[] | undefined {
  const items = text.split(",").map((item) => item.trim());
  return items.some((item) => item === "") ? undefined : items;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const SIGNED = /^(0|-?[1-9][0-9]*)$/;

function parseInteger(text: string, signed: boolean, min: number, max: number): number | string {
  const trimmed = text.trim();
  if (!(signed ? SIGNED : DECIMAL).test(trimmed)) {
    const hint = signed ? "" : " (digits only, no leading zeros)";
    return `${JSON.stringify(text)} is not a decimal integer${hint}`;
  }
  const value = Number(trimmed);
  if (value < min || value > max) return `${trimmed} is outside ${min}..${max}`;
  return value;
}

function parseAddress(text: string): Ipv4Address | string {
  try {
    return parseIpv4(text.trim());
  } catch {
    return `${JSON.stringify(text.trim())} is not an IPv4 address`;
  }
}

function parseHex(text: string): Uint8Array | string {
  const trimmed = text.trim();
  if (trimmed === "") return new Uint8Array(0);
  let digits: string;
  if (/^[0-9a-f]{2}([:\- ][0-9a-f]{2})*$/i.test(trimmed)) digits = trimmed.replace(/[:\- ]/g, "");
  else if (/^([0-9a-f]{2})+$/i.test(trimmed)) digits = trimmed;
  else {
    return `${JSON.stringify(text)} is not hex bytes (like "01:0a:ff", "01 0a ff" or "010aff")`;
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** "10.0.0.0/8 via 10.99.5.1": network (no host bits), "via", router. */
function parseRoute(text: string): ClasslessRoute | string {
  const match = /^(\S+)\s+via\s+(\S+)$/.exec(text.trim());
  if (match === null) return `${JSON.stringify(text.trim())} is not a route like "10.0.0.0/8 via 10.99.5.1"`;
  let destination;
  try {
    destination = parseCidr(match[1]);
  } catch {
    return `${JSON.stringify(match[1])} is not a destination like "10.0.0.0/8"`;
  }
  if (destination.address !== destination.network) {
    const network = formatIpv4(destination.network);
    return `${JSON.stringify(match[1])} has host bits set (the network is ${network})`;
  }
  const router = parseAddress(match[2]);
  if (typeof router === "string") return router;
  return { destination, router };
}

function parseDomain(text: string): string | { error: string } {
  const name = text.trim();
  const problem = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(name) ? undefined : "is not a domain name";
  if (problem !== undefined) return { error: `${JSON.stringify(name)} ${problem}` };
  try {
    encodeDomainSearch([name]);
  } catch (error) {
    return { error: (error as Error).message };
  }
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/** Parses one list of items with `parse`, or returns the first problem. */
function parseList<T>(text: string, parse: (item: string) => T | string, what: string): T[] | string {
  const items = listItems(text);
  if (items === undefined) return `${JSON.stringify(text)} is not a comma-separated list of ${what}`;
  const values: T[] = [];
  for (const item of items) {
    const value = parse(item);
    if (typeof value === "string") return value;
    values.push(value);
  }
  return values;
}

function encodeWith<T>(codec: OptionCodec<T>, value: T | string): Uint8Array | string {
  return typeof value === "string" ? value : codec.encode(value);
}

/**
 * Encodes operator text as option bytes. Throws OptionValueSyntaxError (naming `code` when given) when
 * the text does not parse as `kind`. Formats, as formatOptionValue writes them:
 * ipv4 "10.0.0.1"; ipv4-list "10.0.0.1, 10.0.0.2"; u8/u16/u32 decimal; i32 decimal, may be negative;
 * bool "true" | "false"; string as is (UTF-8); hex "01:0a:ff" (also "01 0a ff", "010aff"; "" is empty);
 * routes "10.0.0.0/8 via 10.99.5.1, 0.0.0.0/0 via 10.99.5.1"; domains "ctpf.test, lab.ctpf.test";
 * u16-list "0, 7, 9".
 */
export function encodeOptionValue(kind: OptionKind, value: string, code?: number): Uint8Array {
  const result = parseOptionValue(kind, value);
  if (typeof result === "string") throw new OptionValueSyntaxError(kind, value, result, code);
  return result;
}

function parseOptionValue(kind: OptionKind, text: string): Uint8Array | string {
  switch (kind) {
    case "ipv4":
      return encodeWith(IPV4, parseAddress(text));
    case "ipv4-list":
      return encodeWith(IPV4_LIST, parseList(text, parseAddress, "IPv4 addresses"));
    case "u8":
      return encodeWith(U8, parseInteger(text, false, 0, 0xff));
    case "u16":
      return encodeWith(U16, parseInteger(text, false, 0, 0xffff));
    case "u32":
      return encodeWith(U32, parseInteger(text, false, 0, 0xffff_ffff));
    case "i32":
      return encodeWith(I32, parseInteger(text, true, -0x8000_0000, 0x7fff_ffff));
    case "bool": {
      const trimmed = text.trim();
      if (trimmed !== "true" && trimmed !== "false") {
        return `${JSON.stringify(text)} is neither "true" nor "false"`;
      }
      return BOOL.encode(trimmed === "true");
    }
    case "string":
      return TEXT.encode(text);
    case "hex":
      return parseHex(text);
    case "routes": {
      const routes = parseList(text, parseRoute, 'routes like "10.0.0.0/8 via 10.99.5.1"');
      return typeof routes === "string" ? routes : encodeClasslessRoutes(routes);
    }
    case "domains": {
      const names = parseList(
        text,
        (item) => {
          const name = parseDomain(item);
          return typeof name === "string" ? { name } : name.error;
        },
        "domain names",
      );
      return typeof names === "string" ? names : encodeDomainSearch(names.map((item) => item.name));
    }
    case "u16-list":
      return encodeWith(
        U16_LIST,
        parseList(text, (item) => parseInteger(item, false, 0, 0xffff), "integers"),
      );
  }
}

function formatRoute(route: ClasslessRoute): string {
  const { network, prefixLength } = route.destination;
  return `${formatIpv4(network)}/${prefixLength} via ${formatIpv4(route.router)}`;
}

/** Option bytes as `kind`, as the text encodeOptionValue reads; a DecodeError when they do not fit. */
export function decodeOptionValue(kind: OptionKind, bytes: Uint8Array): Decoded<string> {
  const map = <T>(result: Decoded<T>, format: (value: T) => string): Decoded<string> =>
    result.ok
      ? decoded(format(result.value))
      : decodeFailure(`dhcp option value (${kind})`, result.error.reason);
  switch (kind) {
    case "ipv4":
      return map(IPV4.decode(bytes), formatIpv4);
    case "ipv4-list":
      return map(IPV4_LIST.decode(bytes), (list) => list.map(formatIpv4).join(", "));
    case "u8":
      return map(U8.decode(bytes), String);
    case "u16":
      return map(U16.decode(bytes), String);
    case "u32":
      return map(U32.decode(bytes), String);
    case "i32":
      return map(I32.decode(bytes), String);
    case "bool":
      return map(BOOL.decode(bytes), String);
    case "string":
      return map(TEXT.decode(bytes), (text) => text);
    case "hex":
      return decoded(toHexString(bytes, ":"));
    case "routes":
      return map(decodeClasslessRoutes(bytes), (routes) => routes.map(formatRoute).join(", "));
    case "domains":
      return map(decodeDomainSearch(bytes), (names) => names.join(", "));
    case "u16-list":
      return map(U16_LIST.decode(bytes), (list) => list.join(", "));
  }
}

/**
 * Option bytes as text for display: decodeOptionValue's text, or, for bytes that do not fit the kind
 * (a peer sent a malformed value), the hex form, which encodeOptionValue("hex", ...) reads back.
 */
export function formatOptionValue(kind: OptionKind, bytes: Uint8Array): string {
  const result = decodeOptionValue(kind, bytes);
  return result.ok ? result.value : toHexString(bytes, ":");
}
