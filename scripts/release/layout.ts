// Names and paths of the release artifacts, in one place: the release script writes them, its tests and
// the deployers (which pick each host's archive by architecture and install it) read them.
import type { Arch } from "../compile.ts";

/** Where an archive is unpacked on a host: /opt/ctpf/<name> (a symlink to the versioned folder). */
export const installRoot = "/opt/ctpf";

/**
 * The folder an archive unpacks to, and the archive's name without ".tar.gz". `arch` is what `uname -m`
 * prints on the target (x86_64, aarch64).
 */
export function releaseName(name: string, version: string, arch: Arch): string {
  return `${name}-${version}-linux-${arch}`;
}

export const archiveFile = (name: string, version: string, arch: Arch) =>
  `${releaseName(name, version, arch)}.tar.gz`;

/** The `deno compile` single binary beside the archives, when the target's runtime could be had. */
export const compiledFile = (name: string, version: string, arch: Arch) => releaseName(name, version, arch);

/** Paths inside an archive's folder. */
export const inArchive = {
  launcher: (name: string) => `bin/${name}`,
  bundle: (name: string) => `lib/${name}.js`,
  deno: "lib/deno",
  denoLicense: "lib/deno.LICENSE",
  unit: (name: string) => `${name}.service`,
  readme: "README.md",
  license: "LICENSE",
};

/** The installed launcher a unit's ExecStart runs. */
export const installedLauncher = (name: string) => `${installRoot}/${name}/${inArchive.launcher(name)}`;

/** The optional file of CTPF_<BINARY>_<FLAG>=value lines a unit reads (flags without editing the unit). */
export const environmentFile = (name: string) => `/etc/ctpf/${name}.env`;
