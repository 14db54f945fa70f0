/**
 * The binaries CTPF ships, one per file in cmd/. compile and bundle read this table, so a new binary is
 * one entry here plus its cmd/<name>.ts.
 */
export interface BinarySpec {
  /** Entry module under cmd/. */
  entry: string;
  /** Deno permission flags the binary runs with (also baked into `deno compile`). */
  permissions: string[];
  /** Files or folders `deno compile` must embed beside the module graph. */
  include: string[];
}

// A network service's permissions: FFI for bound/raw sockets, sys for interface addresses.
const servicePermissions = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
  // Boot rules run in a Worker with no permissions.
  "--unstable-worker-options",
];

export const binaries: Record<string, BinarySpec> = {
  ctpf: {
    entry: "cmd/ctpf.ts",
    permissions: servicePermissions,
    include: [],
  },
  necon: {
    entry: "cmd/necon.ts",
    permissions: servicePermissions,
    include: [],
  },
  bofied: {
    entry: "cmd/bofied.ts",
    permissions: servicePermissions,
    include: [],
  },
  liwasc: {
    entry: "cmd/liwasc.ts",
    permissions: servicePermissions,
    include: [],
  },
  nodin: {
    entry: "cmd/nodin.ts",
    permissions: servicePermissions,
    include: [],
  },
  gloeth: {
    entry: "cmd/gloeth.ts",
    permissions: [...servicePermissions, "--allow-run=ip"],
    include: [],
  },
};
