// A synthetic Alpine release, named as such: Alpine's mirrors cannot be reached here. It has the
// layout the alpine builder is pointed at — releases/<arch>/alpine-netboot-<ver>-<arch>.tar.gz with
// boot/vmlinuz-lts, boot/initramfs-lts and boot/modloop-lts, and a repository <repo>/<arch>/ with an
// (unsigned) APKINDEX.tar.gz and tiny .apk files (one gzip tar stream each, .PKGINFO and one file).
// Its "kernel" and "initramfs" are the test kernel and the marker initramfs, so a machine that boots
// the published set prints the boot marker and the kernel's own "Command line:" line.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { writeTar } from "../../../core/archive/tar.ts";
import { bootPayload } from "../../e2e/boot_payload.ts";

const encoder = new TextEncoder();

export const SYNTHETIC_ALPINE_VERSION = "3.20.3";

interface SyntheticPackage {
  name: string;
  version: string;
  depends?: string;
  provides?: string;
  priority?: number;
}

/** Alpine's main repository in miniature: names, so: and cmd: provides, a virtual with priorities. */
export const syntheticPackages: SyntheticPackage[] = [
  { name: "musl", version: "1.2.5-r0", provides: "so:libc.musl-x86_64.so.1=1" },
  {
    name: "busybox",
    version: "1.36.1-r29",
    depends: "so:libc.musl-x86_64.so.1",
    provides: "cmd:sh=1.36.1-r29 cmd:wget=1.36.1-r29",
  },
  { name: "alpine-baselayout", version: "3.6.5-r0" },
  { name: "openrc", version: "0.54-r1", depends: "cmd:sh so:libc.musl-x86_64.so.1" },
  { name: "alpine-base", version: "3.20.3-r0", depends: "busybox>=1.36 openrc alpine-baselayout" },
  { name: "openssh", version: "9.7_p1-r4", depends: "openssh-server openssh-client" },
  { name: "openssh-server", version: "9.7_p1-r4", depends: "so:libcrypto.so.3 openssh-keygen" },
  { name: "openssh-client", version: "9.7_p1-r4", depends: "so:libcrypto.so.3" },
  { name: "openssh-keygen", version: "9.7_p1-r4", depends: "so:libcrypto.so.3" },
  { name: "libcrypto3", version: "3.3.2-r0", provides: "so:libcrypto.so.3=3" },
  { name: "curl", version: "8.10.1-r0", depends: "ca-certificates-bundle so:libcurl.so.4" },
  { name: "libcurl", version: "8.10.1-r0", depends: "so:libcrypto.so.3", provides: "so:libcurl.so.4=4.8.0" },
  { name: "ca-certificates-bundle", version: "20240705-r0" },
  { name: "dropbear", version: "2024.85-r0", provides: "cmd:dropbear=2024.85-r0" },
  { name: "nginx", version: "1.26.2-r0", depends: "so:libcrypto.so.3 so:libpcre2-8.so.0" },
];

/** A tiny .apk: one gzip stream of a tar with .PKGINFO and a file saying what it is. */
function apk(pkg: SyntheticPackage): Uint8Array {
  const info = [`pkgname = ${pkg.name}`, `pkgver = ${pkg.version}`, "arch = x86_64", ""].join("\n");
  return new Uint8Array(gzipSync(writeTar([
    { name: ".PKGINFO", type: "file", content: encoder.encode(info) },
    {
      name: `usr/share/ctpf-synthetic/${pkg.name}`,
      type: "file",
      content: encoder.encode(`CTPF synthetic Alpine package ${pkg.name}-${pkg.version}\n`),
    },
  ])));
}

export interface SyntheticAlpineRelease {
  /** Relative to the served folder. */
  netboot: string;
  repository: string;
  /** The served APKINDEX.tar.gz's bytes and each package's .apk by file name. */
  index: Uint8Array;
  apks: Map<string, Uint8Array>;
  kernel: string;
  initrd: string;
}

export async function syntheticAlpineRelease(dir: string): Promise<SyntheticAlpineRelease> {
  const payload = await bootPayload();
  const arch = "x86_64";
  const releases = join(dir, "alpine-synthetic", "releases", arch);
  const repository = join(dir, "alpine-synthetic", "main", arch);
  await Deno.mkdir(releases, { recursive: true });
  await Deno.mkdir(repository, { recursive: true });
  const netbootName = `alpine-netboot-${SYNTHETIC_ALPINE_VERSION}-${arch}.tar.gz`;
  await Deno.writeFile(
    join(releases, netbootName),
    gzipSync(writeTar([
      { name: "boot/vmlinuz-lts", type: "file", content: await Deno.readFile(payload.kernel) },
      { name: "boot/initramfs-lts", type: "file", content: await Deno.readFile(payload.initrd) },
      { name: "boot/modloop-lts", type: "file", content: encoder.encode("CTPF synthetic modloop\n") },
      { name: "boot/README", type: "file", content: encoder.encode("CTPF synthetic Alpine netboot set\n") },
    ])),
  );
  const apks = new Map<string, Uint8Array>();
  const records: string[] = [];
  for (const pkg of syntheticPackages) {
    const file = `${pkg.name}-${pkg.version}.apk`;
    const bytes = apk(pkg);
    apks.set(file, bytes);
    await Deno.writeFile(join(repository, file), bytes);
    const sha1 = createHash("sha1").update(bytes).digest("base64");
    records.push(
      [
        `C:Q1${sha1}`,
        `P:${pkg.name}`,
        `V:${pkg.version}`,
        `A:${arch}`,
        `S:${bytes.length}`,
        `I:${bytes.length * 2}`,
        `T:CTPF synthetic ${pkg.name}`,
        ...(pkg.depends ? [`D:${pkg.depends}`] : []),
        ...(pkg.provides ? [`p:${pkg.provides}`] : []),
        ...(pkg.priority ? [`k:${pkg.priority}`] : []),
      ].join("\n") + "\n",
    );
  }
  const index = new Uint8Array(gzipSync(writeTar([
    {
      name: "DESCRIPTION",
      type: "file",
      content: encoder.encode(`v${SYNTHETIC_ALPINE_VERSION}-synthetic\n`),
    },
    { name: "APKINDEX", type: "file", content: encoder.encode(records.join("\n")) },
  ])));
  await Deno.writeFile(join(repository, "APKINDEX.tar.gz"), index);
  return {
    netboot: `alpine-synthetic/releases/${arch}/${netbootName}`,
    repository: "alpine-synthetic/main",
    index,
    apks,
    kernel: payload.kernel,
    initrd: payload.initrd,
  };
}
