import { type Decoded, decoded, DecodeError, decodeFailure } from "../errors.ts";
import { readUint16, readUint32, requireUint, writeUint16, writeUint32 } from "../bytes.ts";
import { type Ipv4Address, readIpv4, requireIpv4, writeIpv4 } from "../ipv4addr.ts";
import type { DhcpOptions } from "./options.ts";

// Value codecs for option data, and the getter/setter pair every typed option accessor is made of.
//
// Getters return undefined when the option is absent, { ok: true, value } when it decodes, and
// { ok: false, error } with a DecodeError whose layer names the option ("dhcp option 3") when the peer
// sent something malformed: one bad option never makes the message undecodable, and the reason is kept
// for logs and counters. Setters encode and throw RangeError for values that cannot be encoded.

/** Bytes to a typed value and back. `decode` never throws; `encode` throws RangeError. */
export interface OptionCodec<T> {
  decode(data: Uint8Array): Decoded<T>;
  encode(value: T): Uint8Array;
}

/** Anything with an option map: a DhcpMessage, or a reply being built. */
export interface HasOptions {
  readonly options: DhcpOptions;
}

/** Option `code` decoded: undefined when absent, else the codec's result labelled "dhcp option N". */
export function getOption<T>(
  message: HasOptions,
  code: number,
  codec: OptionCodec<T>,
): Decoded<T> | undefined {
  const data = message.options.get(code);
  if (data === undefined) return undefined;
  const result = codec.decode(data);
  if (result.ok) return result;
  return {
    ok: false,
    error: new DecodeError(`dhcp option ${code}`, result.error.reason, { cause: result.error }),
  };
}

/** Encodes `value` and stores it as option `code` (replacing any value; a new code goes last). */
export function setOption<T>(message: HasOptions, code: number, codec: OptionCodec<T>, value: T): void {
  message.options.set(code, codec.encode(value));
}

/** The value, or undefined when the option is absent or malformed: for callers that need only the value. */
export function okValue<T>(result: Decoded<T> | undefined): T | undefined {
  return result?.ok ? result.value : undefined;
}

const LAYER = "dhcp option";

function fixedLength(data: Uint8Array, length: number, what: string): string | undefined {
  return data.length === length
    ? undefined
    : `length ${data.length}, ${what} takes ${length} byte${length === 1 ? "" : "s"}`;
}

export const IPV4: OptionCodec<Ipv4Address> = {
  decode(data) {
    const problem = fixedLength(data, 4, "an IPv4 address");
    return problem === undefined ? decoded(readIpv4(data, 0)) : decodeFailure(LAYER, problem);
  },
  encode(value) {
    requireIpv4(value);
    const bytes = new Uint8Array(4);
    writeIpv4(value, bytes, 0);
    return bytes;
  },
};

/** One or more addresses (RFC 2132: minimum length 4, a multiple of 4). */
export const IPV4_LIST: OptionCodec<Ipv4Address[]> = {
  decode(data) {
    if (data.length === 0 || data.length % 4 !== 0) {
      return decodeFailure(LAYER, `length ${data.length} is not a positive multiple of 4 (IPv4 addresses)`);
    }
    const addresses: Ipv4Address[] = [];
    for (let offset = 0; offset < data.length; offset += 4) addresses.push(readIpv4(data, offset));
    return decoded(addresses);
  },
  encode(value) {
    if (value.length === 0) throw new RangeError("an IPv4 address list option needs at least one address");
    const bytes = new Uint8Array(4 * value.length);
    value.forEach((address, index) => {
      requireIpv4(address);
      writeIpv4(address, bytes, 4 * index);
    });
    return bytes;
  },
};

function unsigned(bytes: 1 | 2 | 4): OptionCodec<number> {
  const max = bytes === 1 ? 0xff : bytes === 2 ? 0xffff : 0xffff_ffff;
  const what = bytes === 1 ? "an 8-bit integer" : `a ${8 * bytes}-bit integer`;
  return {
    decode(data) {
      const problem = fixedLength(data, bytes, what);
      if (problem !== undefined) return decodeFailure(LAYER, problem);
      return decoded(bytes === 1 ? data[0] : bytes === 2 ? readUint16(data, 0) : readUint32(data, 0));
    },
    encode(value) {
      // Checked here first: the message is built only for a bad value (this runs for every reply).
      if (!Number.isInteger(value) || value < 0 || value > max) {
        requireUint(`DHCP option value (${what})`, value, max);
      }
      const out = new Uint8Array(bytes);
      if (bytes === 1) out[0] = value;
      else if (bytes === 2) writeUint16(out, 0, value);
      else writeUint32(out, 0, value);
      return out;
    },
  };
}

export const U8: OptionCodec<number> = unsigned(1);
export const U16: OptionCodec<number> = unsigned(2);
export const U32: OptionCodec<number> = unsigned(4);

/** Two's complement 32-bit, e.g. option 2 (time offset). */
export const I32: OptionCodec<number> = {
  decode(data) {
    const problem = fixedLength(data, 4, "a 32-bit integer");
    return problem === undefined ? decoded(readUint32(data, 0) | 0) : decodeFailure(LAYER, problem);
  },
  encode(value) {
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
      throw new RangeError(`DHCP option value (signed 32-bit integer) is out of range: ${value}`);
    }
    const out = new Uint8Array(4);
    writeUint32(out, 0, value >>> 0);
    return out;
  },
};

/** One byte, 0 or 1 (RFC 2132 flag options). */
export const BOOL: OptionCodec<boolean> = {
  decode(data) {
    const problem = fixedLength(data, 1, "a flag");
    if (problem !== undefined) return decodeFailure(LAYER, problem);
    if (data[0] > 1) return decodeFailure(LAYER, `flag value ${data[0]} is neither 0 nor 1`);
    return decoded(data[0] === 1);
  },
  encode(value) {
    return Uint8Array.of(value ? 1 : 0);
  },
};

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * Text (RFC 2132 "NVT ASCII"; UTF-8 in practice). Trailing NULs, which RFC 2132 says receivers must
 * delete, are dropped; bytes that are not UTF-8 decode to U+FFFD. Encoding adds no NUL.
 */
export const TEXT: OptionCodec<string> = {
  decode(data) {
    let end = data.length;
    while (end > 0 && data[end - 1] === 0) end--;
    return decoded(utf8.decode(data.subarray(0, end)));
  },
  encode(value) {
    return utf8Encoder.encode(value);
  },
};

/** The bytes as they are (a view when decoded). */
export const RAW: OptionCodec<Uint8Array> = {
  decode(data) {
    return decoded(data);
  },
  encode(value) {
    return value;
  },
};

/** Any number of bytes, each a number: option 55 (parameter request list), in the sender's order. */
export const U8_LIST: OptionCodec<number[]> = {
  decode(data) {
    return decoded(Array.from(data));
  },
  encode(value) {
    value.forEach((item) => requireUint("DHCP option list item (8-bit)", item, 0xff));
    return Uint8Array.from(value);
  },
};

/** One or more 16-bit numbers: option 93 (client system architectures). */
export const U16_LIST: OptionCodec<number[]> = {
  decode(data) {
    if (data.length === 0 || data.length % 2 !== 0) {
      return decodeFailure(LAYER, `length ${data.length} is not a positive multiple of 2 (16-bit integers)`);
    }
    const items: number[] = [];
    for (let offset = 0; offset < data.length; offset += 2) items.push(readUint16(data, offset));
    return decoded(items);
  },
  encode(value) {
    if (value.length === 0) throw new RangeError("a 16-bit list option needs at least one item");
    const bytes = new Uint8Array(2 * value.length);
    value.forEach((item, index) => {
      requireUint("DHCP option list item (16-bit)", item, 0xffff);
      writeUint16(bytes, 2 * index, item);
    });
    return bytes;
  },
};
