import { basename, dirname, join } from "node:path";
import type { Logger } from "../log/logger.ts";
import type { BofiedStateRepository } from "./store_sqlite.ts";
import { starterMenu } from "./starter_menu.ts";

/** Where Debian's `ipxe` package puts its network-boot binaries. */
export const debianIpxeDir = "/usr/lib/ipxe";

/**
 * The iPXE builds the default rules hand out: undionly.kpxe for BIOS PXE (it drives the NIC through the
 * firmware's UNDI), ipxe.efi for UEFI x64 (its own drivers) and snponly.efi (the firmware's SNP driver)
 * for NICs ipxe.efi has no driver for.
 */
export const starterIpxeFiles = ["undionly.kpxe", "ipxe.efi", "snponly.efi"] as const;

/** What the first start decided, kept so that no later start decides again. */
export interface StarterRecord {
  at: string;
  outcome: "installed" | "tree-not-empty";
  copied: string[];
  /** iPXE binaries that were not on this machine (the menu went in all the same). */
  missing: string[];
}

export interface StarterOptions {
  bootRoot: string;
  ipxeDir?: string;
  state: Pick<BofiedStateRepository, "loadStarter" | "saveStarter">;
  log: Logger;
}

/**
 * On the first start only, fills an empty boot tree with the iPXE binaries found on this machine and a
 * starter menu, so a machine can boot something before anyone uploads a file. The decision is stored,
 * so a file the operator deletes later never comes back and a tree that held files is never touched.
 * Missing binaries are reported, not fatal: the menu still serves machines whose firmware is iPXE.
 */
export async function installStarterOnce(options: StarterOptions): Promise<StarterRecord> {
  const decided = options.state.loadStarter();
  if (decided) return decided;
  const record: StarterRecord = {
    at: new Date().toISOString(),
    outcome: "installed",
    copied: [],
    missing: [],
  };
  if (!(await isEmptyDirectory(options.bootRoot))) {
    record.outcome = "tree-not-empty";
    options.state.saveStarter(record);
    return record;
  }
  const source = options.ipxeDir ?? debianIpxeDir;
  for (const name of starterIpxeFiles) {
    try {
      await writeAtomically(join(options.bootRoot, name), await Deno.readFile(join(source, name)));
      record.copied.push(name);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      record.missing.push(name);
    }
  }
  await writeAtomically(join(options.bootRoot, "menu.ipxe"), new TextEncoder().encode(starterMenu));
  record.copied.push("menu.ipxe");
  options.state.saveStarter(record);
  options.log.info("starter boot tree installed", { files: record.copied.join(",") });
  if (record.missing.length) {
    options.log.warn("starter: iPXE binaries missing (apt-get install ipxe)", {
      missing: record.missing.join(","),
      looked_in: source,
    });
  }
  return record;
}

async function isEmptyDirectory(path: string): Promise<boolean> {
  for await (const _ of Deno.readDir(path)) return false;
  return true;
}

/** A crash half-way leaves no truncated boot file behind (at worst a hidden .tmp). */
async function writeAtomically(path: string, content: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  await Deno.writeFile(temporary, content, { mode: 0o644 });
  await Deno.rename(temporary, path);
}
