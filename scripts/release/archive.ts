// The .tar.gz writer for release archives. Every archive of one architecture carries the same 85-95 MB
// Deno, and gzip'ing it is most of a release's time; a gzip file may be several gzip members one after
// another, which decompress to their concatenation (RFC 1952, 2.2; gzip, GNU tar and zlib-based readers
// take them). So the archive is written as three members: the tar blocks before the large file's
// contents, those contents (compressed once per file and reused), and the rest. The bytes do not depend
// on when or where they are made (fixed mtimes, owner 0), so the same inputs give the same SHA-256.
import { type TarEntry, writeTar } from "../../core/archive/tar.ts";

const BLOCK = 512;
const END_OF_ARCHIVE = 2 * BLOCK;

export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).bytes();
}

/** Compresses each large file once (keyed by the array itself) for every archive that holds it. */
export class SharedMembers {
  #members = new Map<Uint8Array, Promise<Uint8Array<ArrayBuffer>>>();

  /** The gzip member of `content` padded to whole tar blocks. */
  member(content: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    let member = this.#members.get(content);
    if (!member) {
      const padded = new Uint8Array(Math.ceil(content.length / BLOCK) * BLOCK);
      padded.set(content);
      member = gzip(padded);
      this.#members.set(content, member);
    }
    return member;
  }
}

/**
 * A gzip'd tar of `entries`; the contents of the entry named `shared` (if any) come from `members`.
 * Entries are written in the order given.
 */
export async function tarGz(
  entries: TarEntry[],
  options: { shared?: string; members: SharedMembers },
): Promise<Uint8Array<ArrayBuffer>> {
  const at = entries.findIndex((entry) => entry.name === options.shared && entry.type === "file");
  if (at < 0) return await gzip(writeTar(entries));
  const shared = entries[at];
  const content = shared.content ?? new Uint8Array();
  // The first block of a one-entry tar is that entry's header (it holds the size and the checksum).
  const header = writeTar([shared]).subarray(0, BLOCK);
  const before = writeTar(entries.slice(0, at));
  const head = new Uint8Array(before.length - END_OF_ARCHIVE + BLOCK);
  head.set(before.subarray(0, before.length - END_OF_ARCHIVE));
  head.set(header, head.length - BLOCK);
  const parts = [
    await gzip(head),
    await options.members.member(content),
    await gzip(writeTar(entries.slice(at + 1))),
  ];
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
