// The gloeth release the mesh runs, as `deno task release` leaves it in a folder: one archive per
// architecture beside SHA256SUMS. Each archive is checked against SHA256SUMS here, before anything is
// uploaded (the host checks it again on arrival), and its unit is read from it, so the unit installed is
// the one that release ships.
import { gunzipSync } from "node:zlib";
import { readTar } from "../../archive/tar.ts";
import { archiveFile, inArchive, releaseName } from "../../../scripts/release/layout.ts";
import { parseSha256Sums } from "../../../scripts/release/checksums.ts";
import type { Architecture } from "../ssh/facts.ts";
import { sha256Hex } from "../ssh/connection.ts";

export interface ReleaseArchive {
  arch: Architecture;
  /** On the controller. */
  path: string;
  /** The archive's file name, and the folder it unpacks to. */
  file: string;
  folder: string;
  sha256: string;
  size: number;
  /** gloeth.service from the archive. */
  unitText: string;
}

export interface GloethRelease {
  version: string;
  archives: Partial<Record<Architecture, ReleaseArchive>>;
}

const ARCHIVE = /^gloeth-(.+)-linux-(x86_64|aarch64)\.tar\.gz$/;

/**
 * The release writes each archive as several gzip members (scripts/release/archive.ts); node:zlib reads
 * them all, where the web DecompressionStream stops at the end of the first with an error.
 */
function gunzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(bytes));
}

/** The gloeth archives in `dir` (of `version`, or of the only version there), each checked. */
export async function readGloethRelease(dir: string, version?: string): Promise<GloethRelease> {
  const sumsPath = `${dir}/SHA256SUMS`;
  const sums = parseSha256Sums(
    await Deno.readTextFile(sumsPath).catch((error) => {
      throw new Error(
        `${sumsPath} cannot be read (a folder made by \`deno task release\`): ${error.message}`,
      );
    }),
  );
  const listed = [...sums.keys()].map((file) => ARCHIVE.exec(file)).filter((match) => match !== null);
  const versions = [...new Set(listed.map((match) => match[1]))];
  const chosen = version ?? (versions.length === 1 ? versions[0] : undefined);
  if (!chosen || !versions.includes(chosen)) {
    throw new Error(
      `${sumsPath} lists gloeth ${versions.length ? `versions ${versions.join(", ")}` : "in no version"}` +
        (version ? `, not ${version}` : versions.length > 1 ? ": say which one" : ""),
    );
  }
  const archives: GloethRelease["archives"] = {};
  for (const arch of ["x86_64", "aarch64"] as const) {
    const file = archiveFile("gloeth", chosen, arch);
    const expected = sums.get(file);
    if (!expected) continue;
    const path = `${dir}/${file}`;
    const bytes = await Deno.readFile(path);
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      throw new Error(`${path} has sha256 ${actual}, SHA256SUMS says ${expected}: damaged or replaced`);
    }
    const folder = releaseName("gloeth", chosen, arch);
    const unitEntry = readTar(gunzip(bytes)).find((entry) =>
      entry.name === `${folder}/${inArchive.unit("gloeth")}` && entry.type === "file"
    );
    if (!unitEntry?.content) throw new Error(`${path} holds no ${folder}/${inArchive.unit("gloeth")}`);
    archives[arch] = {
      arch,
      path,
      file,
      folder,
      sha256: actual,
      size: bytes.length,
      unitText: new TextDecoder().decode(unitEntry.content),
    };
  }
  return { version: chosen, archives };
}
