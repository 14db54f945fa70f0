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
  /**
   * A command a person runs on a workstation (a deployer), not a service: no web UI to embed, no systemd
   * unit, no /healthz. Unset for the services.
   */
  tool?: true;
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

// A deployer command's permissions: SSH over TCP (ssh2), keys, known_hosts, ssh_config, artifacts and
// state read and written, SSH_AUTH_SOCK, HOME and XDG_* read, and subprocesses (below, per command).
const deployerPermissions = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
];

export const binaries: Record<string, BinarySpec> = {
  ctpf: {
    entry: "cmd/ctpf.ts",
    // The deployers it hosts run the controller's gloeth (network-init, node-init, revoke) and a host's
    // ProxyCommand.
    permissions: [...servicePermissions, "--allow-run"],
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
  gloethdeployer: {
    entry: "cmd/gloethdeployer.ts",
    // SSH (ssh2 over TCP; keys, known_hosts, ssh_config, the release archives and the controller's state
    // read and written; SSH_AUTH_SOCK, HOME and XDG_* read), and --allow-run for the controller's gloeth
    // (network-init, node-init, revoke) and for a host's ProxyCommand.
    permissions: deployerPermissions,
    include: [],
    tool: true,
  },
  k3sdeployer: {
    entry: "cmd/k3sdeployer.ts",
    // SSH (ssh2 over TCP; keys, known_hosts, ssh_config, the air-gap artifacts, the token and the state
    // folder read and written; SSH_AUTH_SOCK, HOME and XDG_* read), HTTPS for a k3s release download, and
    // --allow-run for a host's ProxyCommand.
    permissions: deployerPermissions,
    include: [],
    tool: true,
  },
};
