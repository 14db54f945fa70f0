import { type FileVersion, pathVersion, stillIs } from "../sys/fstat.ts";
import { cString } from "../sys/libc.ts";
import type { Jail } from "./jail.ts";

// A name's jail resolution and stat are reused for a second: a booting fleet asks for the same few files
// thousands of times, and a realpath + stat costs more than serving a small file. A reused answer is
// never stale: every hit is checked with one stat(2) of the resolved path against the version seen at
// lookup (device, inode, size, both times to the nanosecond), and the tree's writers (API, WebDAV, the
// web page) bump the jail's generation, which drops every earlier answer. So a file moved, replaced or
// deleted, by us or by an operator on disk, is looked up afresh on the next request.
const lookupTtlMs = 1000;
const maxLookups = 4096;

export interface Found {
  path: string;
  /** The name inside the jail, for events. */
  name: string;
  info: Deno.FileInfo;
  /** The exact version (stat(2)) the content cache is keyed by; null when it could not be taken. */
  version: FileVersion | null;
}

interface Remembered extends Found {
  until: number;
  generation: number;
  cPath: Uint8Array<ArrayBuffer>;
  version: FileVersion;
}

const lookups = new WeakMap<Jail, Map<string, Remembered>>();

/** A still-valid answer for this name, or undefined: costs one stat(2) on a hit. */
export function recentLookup(jail: Jail, requested: string): Found | undefined {
  const known = lookups.get(jail);
  const hit = known?.get(requested);
  if (!hit) return undefined;
  if (
    hit.until > performance.now() && hit.generation === jail.generation && stillIs(hit.cPath, hit.version)
  ) {
    return hit;
  }
  known!.delete(requested);
  return undefined;
}

function remember(jail: Jail, requested: string, path: string, info: Deno.FileInfo): Found {
  const cPath = cString(path);
  const version = pathVersion(cPath);
  // Only a name that resolves without symbolic links is kept: a link retargeted later would not show in
  // the stat of the old target. The version must also be the one Deno's stat just saw.
  const plain = jail.lexical(requested) === path;
  const agrees = version !== null && version.dev === info.dev && version.ino === info.ino &&
    version.size === info.size && version.mtimeMs === (info.mtime?.getTime() ?? -1);
  const found = { path, name: jail.nameOf(path), info, version: agrees ? version : null };
  if (plain && agrees) {
    let known = lookups.get(jail);
    if (!known) lookups.set(jail, known = new Map());
    if (known.size >= maxLookups) known.clear();
    known.set(requested, {
      ...found,
      until: performance.now() + lookupTtlMs,
      generation: jail.generation,
      cPath,
      version,
    });
  }
  return found;
}

export async function lookup(jail: Jail, requested: string): Promise<Found> {
  const hit = recentLookup(jail, requested);
  if (hit) return hit;
  const generation = jail.generation;
  const path = await jail.resolveExisting(requested);
  const info = await Deno.stat(path);
  // A write that landed while we were resolving may not show in what we found: answer, but keep nothing.
  if (generation !== jail.generation) return { path, name: jail.nameOf(path), info, version: null };
  return remember(jail, requested, path, info);
}

/** lookup for the sendfile port, which answers synchronously (a miss costs a realpath and a stat). */
export function lookupSync(jail: Jail, requested: string): Found {
  const hit = recentLookup(jail, requested);
  if (hit) return hit;
  const path = jail.resolveExistingSync(requested);
  return remember(jail, requested, path, Deno.statSync(path));
}
