// The admin kubeconfig a k3s server writes (/etc/rancher/k3s/k3s.yaml) points at https://127.0.0.1:6443
// and names its cluster, context and user "default". Fetched to a workstation it must point at the first
// server's overlay address, and carry the cluster's name so it can sit beside other clusters' entries.
// The rewrite is by lines on the layout k3s writes (one cluster, one context, one user), so the keys and
// certificates pass through untouched; anything else is refused rather than guessed at.
import { InputError } from "../../errors/input_error.ts";

export interface KubeconfigTarget {
  /** https://<first server's overlay address>:6443 */
  server: string;
  /** The cluster's name, for the cluster, context and user entries and current-context. */
  name: string;
}

const LINE = /^( *)(- )?([A-Za-z][\w-]*):(?: (.*))?$/;
const NAMED_SECTIONS = new Set(["clusters", "contexts", "users"]);

export function rewriteKubeconfig(text: string, target: KubeconfigTarget): string {
  if (!/^https:\/\/[A-Za-z0-9.:[\]-]+$/.test(target.server)) {
    throw new InputError("server", "an https URL of a host and port");
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(target.name)) {
    throw new InputError("name", "1-63 lowercase letters, digits or -");
  }
  const entries: Record<string, number> = { clusters: 0, contexts: 0, users: 0 };
  let servers = 0;
  let section = "";
  let itemIndent = -1;
  let parent = "";
  const lines = text.split("\n").map((line) => {
    const match = LINE.exec(line);
    if (!match) return line;
    const [, spaces, dash = "", key] = match;
    const indent = spaces.length + dash.length;
    if (indent === 0) {
      section = key;
      itemIndent = -1;
      return key === "current-context" ? `current-context: ${target.name}` : line;
    }
    if (dash && NAMED_SECTIONS.has(section) && spaces.length === 0) {
      itemIndent = indent;
      entries[section]++;
    }
    if (indent === itemIndent) {
      parent = key;
      return key === "name" && NAMED_SECTIONS.has(section) ? `${spaces}${dash}name: ${target.name}` : line;
    }
    if (indent === itemIndent + 2) {
      if (section === "clusters" && parent === "cluster" && key === "server") {
        servers++;
        return `${spaces}server: ${target.server}`;
      }
      if (section === "contexts" && parent === "context" && (key === "cluster" || key === "user")) {
        return `${spaces}${key}: ${target.name}`;
      }
    }
    return line;
  });
  const counted = Object.entries(entries).map(([name, count]) => `${count} ${name}`).join(", ");
  if (Object.values(entries).some((count) => count !== 1) || servers !== 1) {
    throw new InputError(
      "kubeconfig",
      `not the kubeconfig k3s writes (one cluster with a server, one context, one user): ${counted}, ` +
        `${servers} server URLs`,
    );
  }
  return lines.join("\n");
}
