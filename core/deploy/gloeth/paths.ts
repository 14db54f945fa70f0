// Where gloeth lives on a host. The release archive's own layout (scripts/release/layout.ts): unpacked
// under /opt/ctpf with /opt/ctpf/gloeth pointing at the version in use, its unit reading flags from
// /etc/ctpf/gloeth.env and the node directory from /etc/ctpf/gloeth/node (the unit's default --node-dir).

export const INSTALL_ROOT = "/opt/ctpf";
/** The symlink the unit's ExecStart goes through: switching versions is one rename. */
export const CURRENT_LINK = `${INSTALL_ROOT}/gloeth`;
export const ENV_FILE = "/etc/ctpf/gloeth.env";
export const NODE_DIR = "/etc/ctpf/gloeth/node";
export const UNIT_NAME = "gloeth.service";
/** Written into an unpacked release folder: the SHA-256 of the archive it came from. */
export const UNPACKED_MARK = ".ctpf-archive-sha256";
/** cmd/gloeth's default TAP device (its --tap flag). */
export const DEFAULT_TAP = "gloeth0";
/** cmd/gloeth's default link port (its --link-listen flag). */
export const DEFAULT_LINK_PORT = 655;

/** What `gloeth node-init` writes into a node directory, all of it copied to the node (0600). */
export const NODE_FILES = ["node.key", "node.cert", "tls.pem", "network.pub", "ca.pem"] as const;
/** The network's signed revocation list, copied beside them once a node has been revoked. */
export const REVOCATIONS_FILE = "revocations";
