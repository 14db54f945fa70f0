// Alpine's package index (APKINDEX), read without apk-tools (not packaged for Debian bookworm): the
// archive, its records, and the dependency closure a world needs. The index comes from a mirror, so
// everything here treats it as untrusted: sizes are capped, names and versions must be plain text
// (they go into a Dockerfile's ADD lines), and malformed input is an ApkIndexError, never a crash.
import { gunzipSync } from "node:zlib";
import { readTar } from "../../../archive/tar.ts";

export class ApkIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApkIndexError";
  }
}

/** A dependency or provide: `name`, `name=1.2-r0`, `so:libc.musl-x86_64.so.1`, `!conflict`, `name>=2`. */
export interface ApkAtom {
  name: string;
  op?: "=" | "<" | ">" | "<=" | ">=" | "~";
  version?: string;
  conflict?: boolean;
}

export interface ApkPackage {
  name: string;
  version: string;
  arch?: string;
  /** The .apk's size in bytes (S:), checked in the build against what the mirror sent. */
  size: number;
  /** Q1 + base64 SHA-1 of the control segment (C:), kept as the index has it. */
  checksum?: string;
  depends: ApkAtom[];
  provides: ApkAtom[];
  /** k: the provider priority, preferred among packages providing the same name. */
  providerPriority: number;
}

export interface ApkIndex {
  packages: ApkPackage[];
  /** The .SIGN.* entry names of a signed index (empty for an unsigned one). */
  signatures: string[];
  description?: string;
}

/** Names and versions as they may appear in generated files and ADD lines. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9+._:\/-]{0,199}$/;
const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$/;
const VERSION = /^[0-9][A-Za-z0-9._+~-]{0,99}$/;
const MAX_INDEX_BYTES = 256 * 1024 * 1024;
const MAX_PACKAGES = 200_000;

/** The index of an APKINDEX.tar.gz: one gzip stream, or a signature stream before the index's (signed). */
export function readApkIndexArchive(archive: Uint8Array): ApkIndex {
  let tar: Uint8Array;
  try {
    // node:zlib reads every concatenated gzip member (the web DecompressionStream stops after the first).
    tar = gunzipSync(archive, { maxOutputLength: MAX_INDEX_BYTES });
  } catch (error) {
    throw new ApkIndexError(`APKINDEX.tar.gz is not gzip: ${(error as Error).message}`);
  }
  let entries;
  try {
    entries = readTar(tar);
  } catch (error) {
    throw new ApkIndexError(`APKINDEX.tar.gz is not a tar archive: ${(error as Error).message}`);
  }
  const index = entries.find((entry) => entry.name === "APKINDEX" && entry.type === "file");
  if (!index) throw new ApkIndexError("APKINDEX.tar.gz holds no APKINDEX file");
  const description = entries.find((entry) => entry.name === "DESCRIPTION")?.content;
  return {
    packages: parseApkIndex(new TextDecoder().decode(index.content)),
    signatures: entries.filter((entry) => entry.name.startsWith(".SIGN.")).map((entry) => entry.name),
    description: description ? new TextDecoder().decode(description).trim() : undefined,
  };
}

/** The records of an APKINDEX text: `X:value` lines, a blank line between packages. */
export function parseApkIndex(text: string): ApkPackage[] {
  const packages: ApkPackage[] = [];
  let record = new Map<string, string>();
  let lineNumber = 0;
  const finish = () => {
    if (record.size === 0) return;
    if (packages.length >= MAX_PACKAGES) throw new ApkIndexError(`more than ${MAX_PACKAGES} packages`);
    packages.push(toPackage(record, lineNumber));
    record = new Map();
  };
  for (const line of text.split("\n")) {
    lineNumber++;
    if (line === "") {
      finish();
      continue;
    }
    if (line.length < 2 || line[1] !== ":") {
      throw new ApkIndexError(`line ${lineNumber}: not a "X:value" field`);
    }
    // A repeated field keeps its first value, as apk does for single-valued fields.
    if (!record.has(line[0])) record.set(line[0], line.slice(2));
  }
  finish();
  return packages;
}

function toPackage(record: Map<string, string>, line: number): ApkPackage {
  const name = record.get("P");
  const version = record.get("V");
  if (!name || !PACKAGE_NAME.test(name)) {
    throw new ApkIndexError(`record before line ${line}: package name ${JSON.stringify(name)} is not plain`);
  }
  if (!version || !VERSION.test(version)) {
    throw new ApkIndexError(`${name}: version ${JSON.stringify(version)} is not plain`);
  }
  const size = Number(record.get("S") ?? "");
  if (!Number.isSafeInteger(size) || size < 0) throw new ApkIndexError(`${name}: size S: is not a number`);
  const priority = record.has("k") ? Number(record.get("k")) : 0;
  if (!Number.isSafeInteger(priority)) {
    throw new ApkIndexError(`${name}: provider priority k: is not a number`);
  }
  return {
    name,
    version,
    arch: record.get("A"),
    size,
    checksum: record.get("C"),
    depends: atoms(record.get("D"), name),
    provides: atoms(record.get("p"), name),
    providerPriority: priority,
  };
}

function atoms(field: string | undefined, owner: string): ApkAtom[] {
  return (field ?? "").split(" ").filter((word) => word !== "").map((word) => parseAtom(word, owner));
}

/** One dependency word. */
export function parseAtom(word: string, owner = "?"): ApkAtom {
  const conflict = word.startsWith("!");
  const body = conflict ? word.slice(1) : word;
  const match = /^([^<>=~]+)(<=|>=|=|<|>|~)?(.*)$/.exec(body);
  if (!match) throw new ApkIndexError(`${owner}: dependency ${JSON.stringify(word)} is malformed`);
  // A repository tag (name@edge) pins a repository; the subset has one, so the tag is dropped.
  const name = match[1].replace(/@[A-Za-z0-9._-]*$/, "");
  if (!NAME.test(name)) {
    throw new ApkIndexError(`${owner}: dependency name ${JSON.stringify(name)} is not plain`);
  }
  const atom: ApkAtom = { name };
  if (conflict) atom.conflict = true;
  if (match[2]) {
    if (!VERSION.test(match[3])) {
      throw new ApkIndexError(`${owner}: version in ${JSON.stringify(word)} is not plain`);
    }
    atom.op = match[2] as ApkAtom["op"];
    atom.version = match[3];
  } else if (match[3] !== "") {
    throw new ApkIndexError(`${owner}: dependency ${JSON.stringify(word)} is malformed`);
  }
  return atom;
}

const PRE_RELEASE = ["alpha", "beta", "pre", "rc"];
const POST_RELEASE = ["cvs", "svn", "git", "hg", "p"];

interface ParsedVersion {
  numbers: number[];
  letter: string;
  /** Suffix ranks: pre-releases below 0, post-releases above, each with its number. */
  suffixes: [number, number][];
  revision: number;
}

function parseVersion(version: string): ParsedVersion {
  const match = /^([0-9]+(?:\.[0-9]+)*)([a-z]?)((?:_[a-z]+[0-9]*)*)(?:-r([0-9]+))?$/.exec(version);
  if (!match) throw new ApkIndexError(`version ${JSON.stringify(version)} is not in apk's form`);
  const suffixes = (match[3].match(/_[a-z]+[0-9]*/g) ?? []).map((suffix): [number, number] => {
    const [, word, number] = /^_([a-z]+)([0-9]*)$/.exec(suffix)!;
    const pre = PRE_RELEASE.indexOf(word), post = POST_RELEASE.indexOf(word);
    if (pre < 0 && post < 0) throw new ApkIndexError(`version ${version}: unknown suffix _${word}`);
    return [pre >= 0 ? pre - PRE_RELEASE.length : post + 1, Number(number || 0)];
  });
  return {
    numbers: match[1].split(".").map(Number),
    letter: match[2],
    suffixes,
    revision: Number(match[4] ?? 0),
  };
}

/**
 * apk's version order for the forms Alpine uses (1.2.3a_rc1_p2-r4): numbers part by part, then the
 * letter, then suffixes (pre-releases before the plain version, post-releases after), then -rN.
 */
export function compareApkVersions(a: string, b: string): number {
  const x = parseVersion(a), y = parseVersion(b);
  for (let i = 0; i < Math.max(x.numbers.length, y.numbers.length); i++) {
    // A missing part sorts before any present one (1.2 < 1.2.0), as in apk.
    if (x.numbers[i] === undefined) return -1;
    if (y.numbers[i] === undefined) return 1;
    if (x.numbers[i] !== y.numbers[i]) return Math.sign(x.numbers[i] - y.numbers[i]);
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  for (let i = 0; i < Math.max(x.suffixes.length, y.suffixes.length); i++) {
    const s = x.suffixes[i] ?? [0, 0], t = y.suffixes[i] ?? [0, 0];
    if (s[0] !== t[0]) return Math.sign(s[0] - t[0]);
    if (s[1] !== t[1]) return Math.sign(s[1] - t[1]);
  }
  return Math.sign(x.revision - y.revision);
}

/** Whether `version` meets the atom's constraint (an atom without one takes any). */
export function satisfies(atom: ApkAtom, version: string | undefined): boolean {
  if (!atom.op) return true;
  if (version === undefined) return false;
  if (atom.op === "~") {
    return version === atom.version || version.startsWith(`${atom.version}.`) ||
      version.startsWith(`${atom.version}-`) || version.startsWith(`${atom.version}_`);
  }
  const order = compareApkVersions(version, atom.version!);
  switch (atom.op) {
    case "=":
      return order === 0;
    case "<":
      return order < 0;
    case ">":
      return order > 0;
    case "<=":
      return order <= 0;
    case ">=":
      return order >= 0;
  }
}

interface Provider {
  pkg: ApkPackage;
  /** The version the provide carries (the package's own for its name; none for a bare provide). */
  version?: string;
}

/**
 * The packages `world` needs: each name resolved to a provider, then their dependencies, transitively.
 * A name several packages provide goes to the package of that very name, else to one already chosen,
 * else to the highest provider priority, then the highest version (then the name, for a stable choice).
 * Conflicts (`!name`) between chosen packages and names nothing provides are errors naming the chain.
 * install_if (i:) is not followed: apk adds those on its own when it installs the world.
 */
export function resolveClosure(packages: ApkPackage[], world: string[]): ApkPackage[] {
  const providers = new Map<string, Provider[]>();
  const add = (name: string, provider: Provider) => {
    const list = providers.get(name) ?? [];
    list.push(provider);
    providers.set(name, list);
  };
  for (const pkg of packages) {
    add(pkg.name, { pkg, version: pkg.version });
    for (const provide of pkg.provides) add(provide.name, { pkg, version: provide.version });
  }
  const chosen = new Map<string, ApkPackage>();
  const queue: { atom: ApkAtom; chain: string[] }[] = world.map((word) => ({
    atom: parseAtom(word, "world"),
    chain: [],
  }));
  while (queue.length) {
    const { atom, chain } = queue.shift()!;
    if (atom.conflict) continue;
    const candidates = (providers.get(atom.name) ?? []).filter((p) => satisfies(atom, p.version));
    if (candidates.length === 0) {
      const via = chain.length ? ` (needed by ${chain.join(" ← ")})` : "";
      throw new ApkIndexError(`nothing in the index provides ${formatAtom(atom)}${via}`);
    }
    const pick = candidates.find((p) => chosen.get(p.pkg.name) === p.pkg) ?? best(atom.name, candidates);
    const existing = chosen.get(pick.pkg.name);
    if (existing && existing !== pick.pkg) {
      throw new ApkIndexError(
        `${pick.pkg.name} is needed as ${existing.version} and as ${pick.pkg.version} (${formatAtom(atom)})`,
      );
    }
    if (existing) continue;
    chosen.set(pick.pkg.name, pick.pkg);
    for (const dependency of pick.pkg.depends) {
      queue.push({ atom: dependency, chain: [pick.pkg.name, ...chain] });
    }
  }
  const names = new Set(
    [...chosen.values()].flatMap((pkg) => [pkg.name, ...pkg.provides.map((p) => p.name)]),
  );
  for (const pkg of chosen.values()) {
    for (const dependency of pkg.depends) {
      if (!dependency.conflict || !names.has(dependency.name)) continue;
      const other = [...chosen.values()].find((p) =>
        p !== pkg && (p.name === dependency.name || p.provides.some((q) => q.name === dependency.name))
      );
      if (other) {
        throw new ApkIndexError(`${pkg.name} conflicts with ${dependency.name} (from ${other.name})`);
      }
    }
  }
  return [...chosen.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function best(name: string, candidates: Provider[]): Provider {
  const own = candidates.filter((p) => p.pkg.name === name);
  const pool = own.length ? own : candidates;
  return pool.reduce((a, b) => {
    if (a.pkg.providerPriority !== b.pkg.providerPriority) {
      return a.pkg.providerPriority > b.pkg.providerPriority ? a : b;
    }
    const order = compareApkVersions(a.pkg.version, b.pkg.version);
    if (order !== 0) return order > 0 ? a : b;
    return a.pkg.name <= b.pkg.name ? a : b;
  });
}

function formatAtom(atom: ApkAtom): string {
  return `${atom.name}${atom.op ?? ""}${atom.version ?? ""}`;
}

/** The file name a package has in its repository's <arch> folder. */
export function apkFileName(pkg: ApkPackage): string {
  return `${pkg.name}-${pkg.version}.apk`;
}
