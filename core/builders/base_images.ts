// Base images, made here since no image registry is reachable: a debootstrap root filesystem, kept as
// a tarball in a cache folder (minutes to make, reused by every later daemon), imported with the Engine
// API (`docker import`) when the daemon lacks it.
import { join } from "node:path";
import type { DockerEngine } from "./docker/engine.ts";

export interface BaseImage {
  /** repository:tag; the tag ends in a key of the suite, components and packages, so a changed list is a new image. */
  tag: string;
  suite: string;
  /** Archive components beyond main (e.g. non-free-firmware). */
  components: string[];
  /** Packages beyond minbase. */
  include: string[];
}

/** A debootstrap base image named `ctpf/<name>:<suite>-<key>`. */
export function debianBaseImage(
  name: string,
  suite: string,
  include: string[],
  components: string[] = [],
): BaseImage {
  const key = fnv1a([suite, ...components, "|", ...[...include].sort()].join(" "));
  return { tag: `ctpf/${name}:${suite}-${key}`, suite, components, include };
}

/** 32-bit FNV-1a in hex: a short, stable name for a package list (not a security boundary). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

/**
 * The boot tooling every shipped kind builds with: Debian's prebuilt loaders (iPXE, GRUB, SYSLINUX),
 * image and file-system tools that work without loop devices or mounts, and U-Boot's mkimage.
 */
export const BOOT_TOOLS = debianBaseImage("boot-tools", "bookworm", [
  "ipxe",
  "grub-common",
  "grub-efi-amd64-bin",
  "grub-pc-bin",
  "syslinux",
  "syslinux-common",
  "syslinux-efi",
  "pxelinux",
  "isolinux",
  "xorriso",
  "mtools",
  "dosfstools",
  "e2fsprogs",
  "fdisk",
  "u-boot-tools",
  "cpio",
  "gzip",
  "xz-utils",
  "zstd",
  "squashfs-tools",
  // Compiling iPXE from source (its own build needs make, gcc, perl and liblzma; arm64 EFI via the cross gcc).
  "make",
  "gcc",
  "libc6-dev",
  "perl",
  "liblzma-dev",
  "gcc-aarch64-linux-gnu",
]);

export class BaseImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BaseImageError";
  }
}

export interface BaseImageOptions {
  cacheDir: string;
  mirror: string;
  /** debootstrap's progress, line by line, for the build's log. */
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

const making = new Map<string, Promise<string>>();

/** The image's root filesystem tarball, made once (concurrent callers share one debootstrap). */
export function baseTarball(image: BaseImage, options: BaseImageOptions): Promise<string> {
  const file = join(
    options.cacheDir,
    `${image.tag.replace(/[^a-z0-9.-]/g, "_")}.tar`,
  );
  let pending = making.get(file);
  if (!pending) {
    pending = makeTarball(image, file, options).finally(() => making.delete(file));
    making.set(file, pending);
  }
  return pending;
}

async function makeTarball(image: BaseImage, file: string, options: BaseImageOptions): Promise<string> {
  try {
    await Deno.stat(file);
    return file;
  } catch { /* not made yet */ }
  await Deno.mkdir(options.cacheDir, { recursive: true });
  const root = await Deno.makeTempDir({ dir: options.cacheDir, prefix: "root-" });
  try {
    options.progress?.(`debootstrap --variant=minbase ${image.suite} (${options.mirror})`);
    // A private mount namespace: debootstrap's /proc and /sys mounts inside the root end with it.
    const args = ["--mount", "--propagation", "private", "debootstrap", "--variant=minbase"];
    if (image.include.length) args.push(`--include=${image.include.join(",")}`);
    if (image.components.length) args.push(`--components=${["main", ...image.components].join(",")}`);
    args.push(image.suite, root, options.mirror);
    const output = await new Deno.Command("unshare", {
      args,
      stdout: "piped",
      stderr: "piped",
      signal: options.signal,
    })
      .output();
    if (!output.success) {
      const tail = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-5).join("\n");
      throw new BaseImageError(`debootstrap ${image.suite} failed: ${tail}`);
    }
    const partial = `${file}.${crypto.randomUUID()}.partial`;
    const tar = await new Deno.Command("tar", {
      args: ["--numeric-owner", "-C", root, "-cf", partial, "."],
      stderr: "piped",
      signal: options.signal,
    }).output();
    if (!tar.success) {
      await Deno.remove(partial).catch(() => {});
      throw new BaseImageError(`tar of ${image.tag}: ${new TextDecoder().decode(tar.stderr)}`);
    }
    // Another process making the same tarball at once (a unique partial each) ends with the same files.
    await Deno.rename(partial, file);
    return file;
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** Makes sure the daemon has the image: imported from the cached tarball when it does not. */
export async function ensureBaseImage(engine: DockerEngine, image: BaseImage, options: BaseImageOptions) {
  if (await engine.imageExists(image.tag)) return;
  const tarball = await baseTarball(image, options);
  const [repository, tag] = image.tag.split(":");
  options.progress?.(`docker import ${image.tag}`);
  await engine.importImage(tarball, repository, tag, options.signal);
}
