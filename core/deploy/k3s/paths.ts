// Where k3s keeps things on a host. These are k3s's own defaults (its config file, data directory and
// admin kubeconfig), so a host set up here looks like any other k3s host to its users and their tools.

export const K3S_BINARY_PATH = "/usr/local/bin/k3s";
export const K3S_CONFIG_DIR = "/etc/rancher/k3s";
/** Read by k3s at start without any flag. */
export const K3S_CONFIG_PATH = `${K3S_CONFIG_DIR}/config.yaml`;
/** The cluster token, 0600, named by config.yaml's token-file: never on a command line or in a unit. */
export const K3S_TOKEN_PATH = `${K3S_CONFIG_DIR}/cluster-token`;
/** The admin kubeconfig a server writes (its URL is https://127.0.0.1:6443). */
export const K3S_KUBECONFIG_PATH = `${K3S_CONFIG_DIR}/k3s.yaml`;
export const K3S_DATA_DIR = "/var/lib/rancher/k3s";
/** Image archives here are imported by k3s's containerd at start: the air-gap images go here. */
export const K3S_IMAGES_DIR = `${K3S_DATA_DIR}/agent/images`;
export const SYSTEMD_UNIT_DIR = "/etc/systemd/system";
/** The port of the supervisor and API server that joining servers and agents connect to. */
export const K3S_API_PORT = 6443;

export type K3sRole = "server" | "agent";

/** k3s's own unit names: a server runs k3s.service, an agent k3s-agent.service. */
export function unitNameOf(role: K3sRole): string {
  return role === "server" ? "k3s.service" : "k3s-agent.service";
}
