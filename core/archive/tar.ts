// A ustar writer and reader: build contexts go to Docker as tar, and built files come back as tar
// (GET /containers/{id}/archive). Only what those need: regular files, directories and symlinks, with
// PAX "path"/"linkpath" records read (Go's archive/tar writes them for long or non-ASCII names).

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type TarEntryType = "file" | "directory" | "symlink";

export interface TarEntry {
  /** Relative, "/"-separated; a directory's name has no trailing slash. */
  name: string;
  type: TarEntryType;
  /** Files only. */
  content?: Uint8Array;
  /** Symlinks only. */
  linkName?: string;
  mode?: number;
  /** Seconds since the epoch; 0 keeps a build context's bytes (and so BuildKit's cache key) stable. */
  mtime?: number;
}

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarFormatError";
  }
}

/** The whole archive in memory (build contexts are small: a Dockerfile and a few generated files). */
export function writeTar(entries: TarEntry[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const content = entry.type === "file" ? entry.content ?? new Uint8Array() : new Uint8Array();
    parts.push(header(entry, content.length));
    parts.push(content);
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function header(entry: TarEntry, size: number): Uint8Array {
  checkName(entry.name);
  const block = new Uint8Array(BLOCK);
  const name = entry.type === "directory" ? `${entry.name}/` : entry.name;
  const [prefix, base] = splitName(name);
  putString(block, 0, 100, base);
  putOctal(block, 100, 8, entry.mode ?? (entry.type === "directory" ? 0o755 : 0o644));
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  putOctal(block, 124, 12, size);
  putOctal(block, 136, 12, entry.mtime ?? 0);
  block.fill(0x20, 148, 156);
  block[156] = entry.type === "file" ? 0x30 : entry.type === "directory" ? 0x35 : 0x32;
  if (entry.type === "symlink") putString(block, 157, 100, entry.linkName ?? "");
  putString(block, 257, 6, "ustar\0");
  putString(block, 263, 2, "00");
  putString(block, 345, 155, prefix);
  putOctal(block, 148, 7, checksum(block));
  return block;
}

function checkName(name: string): void {
  if (name === "" || name.startsWith("/") || name.split("/").some((part) => part === ".." || part === "")) {
    throw new TarFormatError(`tar entry name ${JSON.stringify(name)} is not a plain relative path`);
  }
}

function splitName(name: string): [string, string] {
  const bytes = encoder.encode(name).length;
  if (bytes <= 100) return ["", name];
  // ustar splits at a "/" into a prefix of up to 155 bytes and a name of up to 100.
  for (let cut = name.indexOf("/"); cut > 0; cut = name.indexOf("/", cut + 1)) {
    const prefix = name.slice(0, cut), rest = name.slice(cut + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(rest).length <= 100) return [prefix, rest];
  }
  throw new TarFormatError(`tar entry name too long for ustar: ${name}`);
}

function putString(block: Uint8Array, at: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > length) throw new TarFormatError(`tar field too long: ${text}`);
  block.set(bytes, at);
}

function putOctal(block: Uint8Array, at: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, "0");
  if (digits.length > length - 1) throw new TarFormatError(`tar number too large: ${value}`);
  putString(block, at, length, `${digits}\0`);
}

function checksum(block: Uint8Array): number {
  let sum = 0;
  for (const byte of block) sum += byte;
  return sum;
}

/** Reads every entry; a malformed archive (bad checksum, sizes past the end) is a TarFormatError. */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  let pax: Record<string, string> = {};
  while (at + BLOCK <= archive.length) {
    const block = archive.subarray(at, at + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    const stored = readOctal(block, 148, 8);
    const copy = block.slice();
    copy.fill(0x20, 148, 156);
    if (checksum(copy) !== stored) throw new TarFormatError(`tar header checksum mismatch at ${at}`);
    const size = readOctal(block, 124, 12);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new TarFormatError(`tar entry at ${at} runs past the end`);
    const content = archive.subarray(start, start + size);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    const flag = String.fromCharCode(block[156]);
    if (flag === "x") {
      pax = parsePax(content);
      continue;
    }
    if (flag === "g") continue;
    const prefix = readString(block, 345, 155);
    const rawName = pax.path ??
      (prefix ? `${prefix}/${readString(block, 0, 100)}` : readString(block, 0, 100));
    const linkName = pax.linkpath ?? readString(block, 157, 100);
    pax = {};
    const name = rawName.replace(/^\.\//, "").replace(/\/+$/, "");
    const mode = readOctal(block, 100, 8);
    const mtime = readOctal(block, 136, 12);
    if (flag === "0" || flag === "\0" || flag === "7") {
      entries.push({ name, type: "file", content: content.slice(), mode, mtime });
    } else if (flag === "5") {
      entries.push({ name, type: "directory", mode, mtime });
    } else if (flag === "2") {
      entries.push({ name, type: "symlink", linkName, mode, mtime });
    }
    // Hard links, devices and FIFOs are not part of a build's output: skipped.
  }
  return entries;
}

function readString(block: Uint8Array, at: number, length: number): string {
  const field = block.subarray(at, at + length);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

function readOctal(block: Uint8Array, at: number, length: number): number {
  const text = readString(block, at, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) {
    throw new TarFormatError(`tar number field is not octal: ${JSON.stringify(text)}`);
  }
  return parseInt(text, 8);
}

function parsePax(content: Uint8Array): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    if (space < 0) throw new TarFormatError("PAX record without a length");
    const length = Number(decoder.decode(content.subarray(at, space)));
    if (!Number.isInteger(length) || length <= space - at || at + length > content.length) {
      throw new TarFormatError("PAX record length out of range");
    }
    const record = decoder.decode(content.subarray(space + 1, at + length - 1));
    const equals = record.indexOf("=");
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    at += length;
  }
  return records;
}
