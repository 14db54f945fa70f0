import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { DHCP_OPTION_END, DHCP_OPTION_MESSAGE_TYPE, DHCP_OPTION_OVERLOAD, DHCP_OPTION_PAD } from "./codes.ts";

// The DHCP option list: type-length-value entries after the magic cookie, continued in the BOOTP `file`
// and `sname` fields when option 52 (overload, RFC 2132 §9.3) says so. An option may appear several
// times; RFC 3396 makes its value the concatenation of all instances, in the order options, file, sname.

/**
 * Option values by code, in the order each code first appeared; each value is the concatenation of all
 * its instances (RFC 3396). A value that came in one instance is a view of the decoded bytes.
 */
export type DhcpOptions = Map<number, Uint8Array>;

/** Option 52 values: which BOOTP fields carry options. */
export const OVERLOAD_FILE = 1;
export const OVERLOAD_SNAME = 2;
export const OVERLOAD_BOTH = 3;

/** One option instance as on the wire: at most 255 bytes of data. */
export interface OptionInstance {
  readonly code: number;
  readonly data: Uint8Array;
}

/** Size of the BOOTP `file` and `sname` fields. */
export const BOOTP_FILE_LENGTH = 128;
export const BOOTP_SNAME_LENGTH = 64;

const MAX_INSTANCE_DATA = 255;

/** A field holding options, with its place in the message for error messages. */
export interface OptionField {
  readonly name: "options" | "file" | "sname";
  readonly bytes: Uint8Array;
  /** Offset of `bytes` in the message. */
  readonly offset: number;
}

/**
 * Appends the instances found in one field to `parts`. PAD is skipped, END stops the walk (the rest is
 * padding) and so does the end of the field: senders that omit END are tolerated. Inside `file` and
 * `sname`, option 52 is ignored: only the options field may say where options continue, so overloaded
 * fields cannot send the walk around in a loop. Returns why the field is malformed, or undefined.
 */
function walkField(field: OptionField, parts: Map<number, Uint8Array[]>): string | undefined {
  const bytes = field.bytes;
  let offset = 0;
  while (offset < bytes.length) {
    const code = bytes[offset];
    if (code === DHCP_OPTION_END) return undefined;
    if (code === DHCP_OPTION_PAD) {
      offset += 1;
      continue;
    }
    const at = field.offset + offset;
    if (offset + 1 >= bytes.length) {
      return `option ${code} at byte ${at} (${field.name} field) has no length byte`;
    }
    const length = bytes[offset + 1];
    const follow = bytes.length - offset - 2;
    if (length > follow) {
      return `option ${code} at byte ${at} (${field.name} field) has length ${length}, ` +
        `only ${follow} bytes follow`;
    }
    if (code !== DHCP_OPTION_OVERLOAD || field.name === "options") {
      const data = bytes.subarray(offset + 2, offset + 2 + length);
      const list = parts.get(code);
      if (list === undefined) parts.set(code, [data]);
      else list.push(data);
    }
    offset += 2 + length;
  }
  return undefined;
}

export interface DecodedOptions {
  readonly options: DhcpOptions;
  /** Option 52's value: 0 when absent, else OVERLOAD_FILE, OVERLOAD_SNAME or OVERLOAD_BOTH. */
  readonly overload: number;
}

/**
 * Decodes the options of a message: the options field, then `file` and `sname` when option 52 says they
 * hold options. A length running past its field is structural damage and fails the whole list, and so
 * does an option 52 that is not one byte of 1, 2 or 3 (nothing could tell where the options are). A
 * malformed value of any other option is left for its typed getter to report.
 */
export function decodeOptionFields(
  options: OptionField,
  file: OptionField,
  sname: OptionField,
): Decoded<DecodedOptions> {
  const parts = new Map<number, Uint8Array[]>();
  const problem = walkField(options, parts);
  if (problem !== undefined) return decodeFailure("dhcp", problem);
  let overload = 0;
  const overloadParts = parts.get(DHCP_OPTION_OVERLOAD);
  if (overloadParts !== undefined) {
    const value = concat(overloadParts);
    if (value.length !== 1 || value[0] < OVERLOAD_FILE || value[0] > OVERLOAD_BOTH) {
      return decodeFailure(
        "dhcp",
        `option 52 (overload) is ${value.length === 1 ? `value ${value[0]}` : `${value.length} bytes long`}` +
          ", expected one byte of 1 (file), 2 (sname) or 3 (both)",
      );
    }
    overload = value[0];
  }
  for (const [flag, field] of [[OVERLOAD_FILE, file], [OVERLOAD_SNAME, sname]] as const) {
    if ((overload & flag) === 0) continue;
    const fieldProblem = walkField(field, parts);
    if (fieldProblem !== undefined) return decodeFailure("dhcp", fieldProblem);
  }
  const result: DhcpOptions = new Map();
  for (const [code, list] of parts) result.set(code, list.length === 1 ? list[0] : concat(list));
  return decoded({ options: result, overload });
}

/**
 * Decodes a bare option list (no overload), e.g. options stored by a server or built by hand, with
 * RFC 3396 concatenation. Offsets in error messages count from the start of `bytes`.
 */
export function decodeOptionList(bytes: Uint8Array): Decoded<DhcpOptions> {
  const parts = new Map<number, Uint8Array[]>();
  const problem = walkField({ name: "options", bytes, offset: 0 }, parts);
  if (problem !== undefined) return decodeFailure("dhcp", problem);
  const result: DhcpOptions = new Map();
  for (const [code, list] of parts) result.set(code, list.length === 1 ? list[0] : concat(list));
  return decoded(result);
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

function requireOptionCode(code: number): void {
  if (!Number.isInteger(code) || code < 1 || code > 254) {
    throw new RangeError(`a DHCP option code must be an integer from 1 to 254, got ${code}`);
  }
}

/**
 * The instances that carry `options` on the wire, in map order: values longer than 255 bytes are split
 * into consecutive instances (RFC 3396), an empty value is one instance of length 0. Option 52 is left
 * out: whether fields are overloaded is the encoder's decision, not a value to copy from a decoded message.
 */
export function optionInstances(options: DhcpOptions): OptionInstance[] {
  const instances: OptionInstance[] = [];
  for (const [code, value] of options) {
    requireOptionCode(code);
    if (code === DHCP_OPTION_OVERLOAD) continue;
    if (value.length === 0) instances.push({ code, data: value });
    for (let offset = 0; offset < value.length; offset += MAX_INSTANCE_DATA) {
      instances.push({ code, data: value.subarray(offset, offset + MAX_INSTANCE_DATA) });
    }
  }
  return instances;
}

/** Bytes the instances take on the wire (2 per instance plus data), without END. */
export function instancesLength(instances: readonly OptionInstance[]): number {
  let length = 0;
  for (const instance of instances) length += 2 + instance.data.length;
  return length;
}

/** Writes instances then END; returns the offset after END. The caller sized `target`. */
export function writeInstances(
  instances: readonly OptionInstance[],
  target: Uint8Array,
  offset: number,
): number {
  for (const { code, data } of instances) {
    target[offset] = code;
    target[offset + 1] = data.length;
    target.set(data, offset + 2);
    offset += 2 + data.length;
  }
  target[offset] = DHCP_OPTION_END;
  return offset + 1;
}

/** Encodes an option list (no overload): instances in map order, then END. */
export function encodeOptionList(options: DhcpOptions): Uint8Array<ArrayBuffer> {
  const instances = optionInstances(options);
  const bytes = new Uint8Array(instancesLength(instances) + 1);
  writeInstances(instances, bytes, 0);
  return bytes;
}

export interface OptionRoom {
  /** Bytes available after the magic cookie, END included. */
  readonly options: number;
  /** Whether `file` / `sname` are empty and so may carry options. */
  readonly file: boolean;
  readonly sname: boolean;
}

export interface PackedOptions {
  /** The options field: instances then END (no padding). */
  readonly options: Uint8Array;
  /** 128 bytes when the file field carries options. */
  readonly file?: Uint8Array;
  /** 64 bytes when the sname field carries options. */
  readonly sname?: Uint8Array;
  readonly overload: number;
}

/**
 * Lays the options out in the room a message has. When they fit the options field they go there in map
 * order. Otherwise option 52 is added and instances spill into `file`, then `sname` (RFC 3396 order),
 * first fit: each instance goes into the earliest field with room that is not before the field holding
 * the previous instance of its code, so every value re-joins in order. Option 53 is placed first and
 * always stays in the options field. An instance fitting no field whole is split across fields, which
 * RFC 3396 allows. Throws RangeError when the options do not fit even so.
 */
export function packOptions(options: DhcpOptions, room: OptionRoom): PackedOptions {
  const instances = optionInstances(options);
  const length = instancesLength(instances);
  if (length + 1 <= room.options) {
    const bytes = new Uint8Array(length + 1);
    writeInstances(instances, bytes, 0);
    return { options: bytes, overload: 0 };
  }
  const needed = length + 1;
  const spare = [room.file ? "file" : "", room.sname ? "sname" : ""].filter(Boolean).join(" and ");
  const tooLong = () =>
    new RangeError(
      `DHCP options take ${needed} bytes; they do not fit the ${room.options} bytes of the options field ` +
        (spare ? `even with ${spare} overloaded` : "and file and sname are in use"),
    );
  if (!room.file && !room.sname) throw tooLong();
  // Option 52 itself (3 bytes) and each field's END (1 byte) take room first.
  const capacity = [
    room.options - 4,
    room.file ? BOOTP_FILE_LENGTH - 1 : 0,
    room.sname ? BOOTP_SNAME_LENGTH - 1 : 0,
  ];
  const placed: OptionInstance[][] = [[], [], []];
  const lastField = new Map<number, number>();
  const place = (instance: OptionInstance, field: number) => {
    placed[field].push(instance);
    capacity[field] -= 2 + instance.data.length;
    lastField.set(instance.code, field);
  };
  const ordered = [
    ...instances.filter((instance) => instance.code === DHCP_OPTION_MESSAGE_TYPE),
    ...instances.filter((instance) => instance.code !== DHCP_OPTION_MESSAGE_TYPE),
  ];
  for (const instance of ordered) {
    const first = lastField.get(instance.code) ?? 0;
    const last = instance.code === DHCP_OPTION_MESSAGE_TYPE ? 0 : 2;
    let field = first;
    while (field <= last && capacity[field] < 2 + instance.data.length) field++;
    if (field <= last) {
      place(instance, field);
      continue;
    }
    // Split across the fields that still have room for a header and at least one byte.
    if (instance.data.length === 0) throw tooLong();
    let rest = instance.data;
    for (field = first; field <= last && rest.length > 0; field++) {
      const take = Math.min(rest.length, capacity[field] - 2);
      if (take < 1) continue;
      place({ code: instance.code, data: rest.subarray(0, take) }, field);
      rest = rest.subarray(take);
    }
    if (rest.length > 0) throw tooLong();
  }
  const overload = (placed[1].length > 0 ? OVERLOAD_FILE : 0) | (placed[2].length > 0 ? OVERLOAD_SNAME : 0);
  const messageType = placed[0].filter((instance) => instance.code === DHCP_OPTION_MESSAGE_TYPE);
  const rest = placed[0].filter((instance) => instance.code !== DHCP_OPTION_MESSAGE_TYPE);
  const first = [
    ...messageType,
    { code: DHCP_OPTION_OVERLOAD, data: Uint8Array.of(overload) },
    ...rest,
  ];
  const optionsBytes = new Uint8Array(instancesLength(first) + 1);
  writeInstances(first, optionsBytes, 0);
  const result: { options: Uint8Array; file?: Uint8Array; sname?: Uint8Array; overload: number } = {
    options: optionsBytes,
    overload,
  };
  if (placed[1].length > 0) {
    result.file = new Uint8Array(BOOTP_FILE_LENGTH);
    writeInstances(placed[1], result.file, 0);
  }
  if (placed[2].length > 0) {
    result.sname = new Uint8Array(BOOTP_SNAME_LENGTH);
    writeInstances(placed[2], result.sname, 0);
  }
  return result;
}
