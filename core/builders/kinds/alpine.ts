// alpine: an Alpine netboot set published into bofied's tree — the release's kernel, initramfs and
// modloop, an apkovl with the node's configuration, the repository subset its world needs, and an iPXE
// script that boots it all from bofied. apk-tools is not packaged for Debian, so the index is read and
// the dependency closure resolved here (alpine/apkindex.ts) before the build: RUN steps have no network,
// and the Dockerfile's ADD lines must name every package the mirror subset fetches.
import type { FieldError } from "../../errors/field_errors.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import { type BuilderKind, type ContextFile, type Parameters, withArtifactStage } from "../kind.ts";
import { apkFileName, ApkIndexError, readApkIndexArchive, resolveClosure } from "./alpine/apkindex.ts";
import { alpineIpxeScript, overlay } from "./alpine/overlay.ts";
import {
  FOLDER_NAME_HINT,
  FOLDER_NAME_PATTERN,
  HOSTNAME_HINT,
  HOSTNAME_PATTERN,
  KERNEL_ARGS_HINT,
  KERNEL_ARGS_PATTERN,
  SSH_KEYS_HINT,
  SSH_KEYS_PATTERN,
  sshKeyList,
  URL_HINT,
  URL_PATTERN,
} from "./shared/fields.ts";

const encoder = new TextEncoder();
const INDEX_TIMEOUT_MS = 120_000;
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

export const alpineKind: BuilderKind = {
  name: "alpine",
  title: "Alpine netboot",
  description:
    "an Alpine netboot set from a release: apkovl with the node's configuration, repository subset, iPXE script",
  baseImages: [BOOT_TOOLS],
  fields: [
    {
      name: "name",
      title: "Name",
      description: "the folder under builds/ in bofied's boot tree the set is published to",
      type: "string",
      required: true,
      pattern: FOLDER_NAME_PATTERN,
      patternHint: FOLDER_NAME_HINT,
    },
    {
      name: "releaseUrl",
      title: "Netboot release URL",
      description: "Alpine's alpine-netboot-<version>-<arch>.tar.gz (boot/vmlinuz-*, initramfs-*, modloop-*)",
      type: "string",
      required: true,
      maxLength: 500,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "flavor",
      title: "Kernel flavor",
      description: "which of the release's kernels boots: lts (hardware) or virt (virtual machines)",
      type: "choice",
      choices: ["lts", "virt"],
      default: "lts",
    },
    {
      name: "arch",
      title: "Architecture",
      description: "the repository's architecture folder",
      type: "choice",
      choices: ["x86_64", "aarch64"],
      default: "x86_64",
    },
    {
      name: "repositoryUrl",
      title: "Repository URL",
      description: "an Alpine repository (…/v3.20/main): <url>/<arch>/APKINDEX.tar.gz and its packages",
      type: "string",
      required: true,
      maxLength: 500,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "bootUrl",
      title: "Boot tree URL",
      description: "bofied's boot tree as machines reach it (http://<server>:8470/boot)",
      type: "string",
      required: true,
      maxLength: 300,
      pattern: /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%-]*)?$/,
      patternHint: "an http:// or https:// URL without spaces, quotes or query",
    },
    {
      name: "hostname",
      title: "Hostname",
      description: "the node's hostname; also names the apkovl (<hostname>.apkovl.tar.gz)",
      type: "string",
      required: true,
      pattern: HOSTNAME_PATTERN,
      patternHint: HOSTNAME_HINT,
    },
    {
      name: "packages",
      title: "Extra packages",
      description:
        "packages added to /etc/apk/world beyond alpine-base (and openssh with SSH keys), space-separated",
      type: "string",
      maxLength: 2000,
      pattern: /^[a-z0-9][a-z0-9+._-]*( [a-z0-9][a-z0-9+._-]*)*$/,
      patternHint: "package names separated by single spaces",
    },
    {
      name: "networkInterface",
      title: "Network interface",
      description: "the interface /etc/network/interfaces brings up",
      type: "string",
      default: "eth0",
      pattern: /^[a-z][a-z0-9.]{0,14}$/,
      patternHint: "an interface name such as eth0",
    },
    {
      name: "address",
      title: "Static address",
      description: "address/prefix for a static configuration; DHCP when empty",
      type: "string",
      pattern: /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/,
      patternHint: "an IPv4 address with its prefix, e.g. 10.0.0.5/24",
    },
    {
      name: "gateway",
      title: "Gateway",
      description: "the default route with a static address",
      type: "string",
      pattern: /^(\d{1,3}\.){3}\d{1,3}$/,
      patternHint: "an IPv4 address",
    },
    {
      name: "sshKeys",
      title: "SSH keys",
      description: "public keys for root's authorized_keys, separated by ';' (enables sshd)",
      type: "string",
      maxLength: 20_000,
      pattern: SSH_KEYS_PATTERN,
      patternHint: SSH_KEYS_HINT,
    },
    {
      name: "joinUrl",
      secret: true,
      title: "Join script URL",
      description: "a script the node fetches and runs at boot (local.d), to join the cluster",
      type: "string",
      maxLength: 500,
      pattern: URL_PATTERN,
      patternHint: URL_HINT,
    },
    {
      name: "kernelArgs",
      title: "Extra kernel arguments",
      description: "appended to the kernel command line (e.g. console=ttyS0)",
      type: "string",
      maxLength: 500,
      pattern: KERNEL_ARGS_PATTERN,
      patternHint: KERNEL_ARGS_HINT,
    },
  ],
  check(parameters: Parameters): FieldError[] {
    const errors: FieldError[] = [];
    const address = parameters.address as string | undefined;
    if (address) {
      const [ip, prefix] = address.split("/");
      if (!validIpv4(ip) || Number(prefix) > 32) {
        errors.push({ field: "parameters.address", message: "not an IPv4 address with a prefix of 0–32" });
      }
    }
    const gateway = parameters.gateway as string | undefined;
    if (gateway && !address) {
      errors.push({ field: "parameters.gateway", message: "a gateway needs a static address" });
    } else if (gateway && !validIpv4(gateway)) {
      errors.push({ field: "parameters.gateway", message: "not an IPv4 address" });
    }
    const url = parameters.releaseUrl as string;
    if (!/\.tar\.gz$/.test(url)) {
      errors.push({ field: "parameters.releaseUrl", message: "must name a .tar.gz (the netboot tarball)" });
    }
    return errors;
  },
  template: alpineTemplate,
  publishFolder: (parameters) => `builds/${parameters.name}`,
};

function validIpv4(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

/** The world: alpine-base, openssh when keys are given, then the extra packages, each once. */
export function alpineWorld(parameters: Parameters): string[] {
  const extra = ((parameters.packages as string | undefined) ?? "").split(" ").filter(Boolean);
  const base = ["alpine-base", ...(parameters.sshKeys ? ["openssh"] : [])];
  return [...new Set([...base, ...extra])];
}

async function alpineTemplate(parameters: Parameters, signal?: AbortSignal) {
  const arch = parameters.arch as string;
  const flavor = parameters.flavor as string;
  const hostname = parameters.hostname as string;
  const repository = (parameters.repositoryUrl as string).replace(/\/+$/, "");
  const indexBytes = await fetchIndex(`${repository}/${arch}/APKINDEX.tar.gz`, signal);
  const index = readApkIndexArchive(indexBytes);
  const world = alpineWorld(parameters);
  const closure = resolveClosure(index.packages, world);
  const folder = `${(parameters.bootUrl as string).replace(/\/+$/, "")}/builds/${parameters.name}`;
  const ovl = overlay({
    hostname,
    world,
    repositoryUrl: `${folder}/repo`,
    networkInterface: parameters.networkInterface as string,
    address: parameters.address as string | undefined,
    gateway: parameters.gateway as string | undefined,
    sshKeys: sshKeyList(parameters.sshKeys as string | undefined),
    joinUrl: parameters.joinUrl as string | undefined,
  });
  const manifest = closure.map((pkg) => `${apkFileName(pkg)} ${pkg.size} ${pkg.name} ${pkg.version}\n`).join(
    "",
  );
  const signature = index.signatures.length ? `signed: ${index.signatures.join(" ")}` : "unsigned";
  const files: ContextFile[] = [
    { name: "ctx/APKINDEX.tar.gz", content: indexBytes },
    { name: "ctx/packages.txt", content: encoder.encode(manifest) },
    {
      name: "ctx/mirror.txt",
      content: encoder.encode(
        `# The repository subset: the index as the mirror sent it (${signature}), and the packages\n` +
          `# the world (${world.join(" ")}) needs, with their dependencies.\n${manifest}`,
      ),
    },
    {
      name: "ctx/runlevels.txt",
      content: encoder.encode(ovl.runlevels.map((link) => `${link.level} ${link.service}\n`).join("")),
    },
    {
      name: "ctx/directories.txt",
      content: encoder.encode(ovl.directories.map((dir) => `${dir.mode.toString(8)} ${dir.path}\n`).join("")),
    },
    {
      name: "ctx/boot.ipxe",
      content: encoder.encode(alpineIpxeScript({
        baseUrl: folder,
        flavor,
        hostname,
        kernelArgs: parameters.kernelArgs as string | undefined,
      })),
    },
    { name: "ctx/build.sh", content: encoder.encode(BUILD_SCRIPT), mode: 0o755 },
    ...ovl.files.map((file) => ({
      name: `ovl/${file.path}`,
      content: encoder.encode(file.content),
      mode: file.mode,
    })),
  ];
  const apkUrls = closure.map((pkg) => `${repository}/${arch}/${apkFileName(pkg)}`);
  return {
    dockerfile: withArtifactStage([
      `FROM ${BOOT_TOOLS.tag} AS build`,
      // The release and the packages first: a changed configuration reuses both from the cache.
      `ADD ${parameters.releaseUrl} /in/netboot.tar.gz`,
      `ADD ${apkUrls.join(" ")} /in/apk/`,
      "COPY ovl /ovl",
      "COPY ctx /ctx",
      `RUN /ctx/build.sh ${flavor} ${arch} ${hostname}`,
    ]),
    files,
  };
}

/** The index from the mirror, bounded in time and size (it is parsed here, in the service). */
async function fetchIndex(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(INDEX_TIMEOUT_MS);
  const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  if (!response.ok) {
    await response.body?.cancel();
    throw new ApkIndexError(`${url}: HTTP ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body!) {
    size += chunk.length;
    if (size > MAX_INDEX_BYTES) throw new ApkIndexError(`${url}: larger than ${MAX_INDEX_BYTES} bytes`);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, at), at += chunk.length;
  return bytes;
}

/**
 * Runs in the build: the release's boot files, the packages checked against the index's sizes, the
 * apkovl as a reproducible tarball (root-owned, sorted, mtime 0, gzip without name or time).
 */
const BUILD_SCRIPT = `#!/bin/sh
set -eu
flavor=$1 arch=$2 host=$3
mkdir -p /out/repo/$arch /work
tar -xzf /in/netboot.tar.gz -C /work
for file in vmlinuz initramfs modloop; do
  if [ ! -f /work/boot/$file-$flavor ]; then echo "the release has no boot/$file-$flavor" >&2; exit 1; fi
  cp /work/boot/$file-$flavor /out/
done
while read -r file size name version; do
  actual=$(stat -c %s /in/apk/$file)
  if [ "$actual" != "$size" ]; then echo "$file: $actual bytes, the index says $size" >&2; exit 1; fi
  cp /in/apk/$file /out/repo/$arch/
done </ctx/packages.txt
cp /ctx/APKINDEX.tar.gz /out/repo/$arch/
cp /ctx/mirror.txt /out/repo/$arch/CTPF-MIRROR.txt
while read -r mode dir; do chmod "$mode" "/ovl/$dir"; done </ctx/directories.txt
while read -r level service; do
  mkdir -p /ovl/etc/runlevels/$level
  ln -s /etc/init.d/$service /ovl/etc/runlevels/$level/$service
done </ctx/runlevels.txt
find /ovl -exec touch -h -d @0 {} +
(cd /ovl && tar --sort=name --owner=0 --group=0 --numeric-owner -cf - *) | gzip -9n >/out/$host.apkovl.tar.gz
cp /ctx/boot.ipxe /out/boot.ipxe
echo "apkovl:"; tar -tvzf /out/$host.apkovl.tar.gz
echo "repository subset:"; ls -l /out/repo/$arch
`;
