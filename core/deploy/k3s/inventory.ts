// A k3s cluster as the user describes it: servers (the first one initialises the cluster's embedded etcd,
// the others join it), agents, and options shared by all. Each node is reached and named over the gloeth
// mesh: its overlay address and overlay interface become k3s's node-ip and flannel-iface. How the
// executor reaches a host (its `ssh`, over shared defaults) is the same as in the gloeth inventory.
// parseK3sInventory checks an inventory as read from a file or a request, naming every wrong field.
import type { FieldError } from "../../errors/field_errors.ts";
import { FieldErrors } from "../../errors/field_errors.ts";
import { isIpv4 } from "../../net/ipv4addr.ts";
import type { HostSpec } from "../ssh/host.ts";
import { parseSshTarget, type SshTargetInput } from "../ssh_target.ts";
import { type Architecture, ARCHITECTURES, isArchitecture } from "./architecture.ts";
import type { ConfigEntry } from "./config_file.ts";
import { extraArgEntries } from "./extra_args.ts";

/** cmd/gloeth's default TAP device (its --tap flag, core/gloeth/module.ts). */
export const DEFAULT_OVERLAY_INTERFACE = "gloeth0";
/** The unit the gloethdeployer installs: k3s starts after it, since flannel needs the overlay interface. */
export const DEFAULT_OVERLAY_UNIT = "gloeth.service";

export interface K3sHost {
  /** The inventory name, also the Kubernetes node name. */
  name: string;
  /** The node's gloeth address (no prefix): k3s's node-ip, and a server's advertise-address. */
  overlayAddress: string;
  /** The gloeth TAP device: k3s's flannel-iface. */
  overlayInterface: string;
  arch: Architecture;
  /** How the executor reaches it; absent when the inventory names none (a plan on paper only). */
  ssh?: HostSpec;
}

/** The user's own k3s binary and image archive for one architecture (an air-gapped install). */
export interface AirgapArtifacts {
  /** Path on the controller of the k3s binary (k3s or k3s-arm64 from a release). */
  binary: string;
  /** Path on the controller of k3s-airgap-images-<arch>.tar, .tar.gz or .tar.zst. */
  images: string;
}

export interface K3sInventory {
  /** Names the kubeconfig's cluster, context and user. */
  cluster: string;
  /** The first one runs with cluster-init; the others join it. */
  servers: K3sHost[];
  agents: K3sHost[];
  /**
   * Path on the controller of the file holding the cluster token (0600). The plan only refers to it: the
   * token itself is read when files are written, and never printed.
   */
  tokenFile: string;
  /** Extra names and addresses for the servers' certificates. */
  tlsSans: string[];
  /** Extra config.yaml entries from the user's --flag=value arguments. */
  serverConfig: ConfigEntry[];
  agentConfig: ConfigEntry[];
  /** A release version (v1.31.4+k3s1): downloaded when not air-gapped, checked against `k3s --version`. */
  version?: string;
  /** When set, nothing is downloaded: each host gets its architecture's artifacts from the controller. */
  airgap?: Partial<Record<Architecture, AirgapArtifacts>>;
  /** The unit k3s wants and starts after ("" for none). */
  overlayUnit: string;
}

/** An inventory as submitted: optional fields are filled with their defaults by parseK3sInventory. */
export interface K3sInventoryInput {
  cluster?: unknown;
  servers?: unknown;
  agents?: unknown;
  tokenFile?: unknown;
  tlsSans?: unknown;
  serverArgs?: unknown;
  agentArgs?: unknown;
  version?: unknown;
  airgap?: unknown;
  overlayUnit?: unknown;
  /** Shared SSH settings; each host's `ssh` overrides them. */
  ssh?: unknown;
}

// A DNS label: what Kubernetes accepts as a node name and what a kubeconfig entry reads well as.
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const INTERFACE = /^[A-Za-z0-9_.-]{1,15}$/;
const VERSION = /^v\d+\.\d+\.\d+(-rc\d+)?\+k3s\d+$/;
const SAN = /^[A-Za-z0-9*.:-]{1,253}$/;
const UNIT = /^[A-Za-z0-9:_.@-]+\.(service|target)$/;
const IMAGES = /\.tar(\.gz|\.zst|\.bz2|\.lz4)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function absolutePath(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("/") && !value.split("/").includes("..") &&
    !/[\0\n]/.test(value);
}

function stringList(value: unknown, field: string, errors: FieldError[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    errors.push({ field, message: "a list of strings" });
    return [];
  }
  return value;
}

function parseHost(
  value: unknown,
  field: string,
  ssh: SshTargetInput | undefined,
  errors: FieldError[],
): K3sHost | undefined {
  if (!isObject(value)) {
    errors.push({ field, message: "a host: { name, overlayAddress, overlayInterface?, arch, ssh? }" });
    return undefined;
  }
  const before = errors.length;
  const { name, overlayAddress, overlayInterface = DEFAULT_OVERLAY_INTERFACE, arch } = value;
  if (typeof name !== "string" || !NAME.test(name)) {
    errors.push({
      field: `${field}.name`,
      message: "1-63 lowercase letters, digits or -, starting and ending with a letter or digit",
    });
  }
  if (overlayAddress === undefined || overlayAddress === "") {
    errors.push({ field: `${field}.overlayAddress`, message: "required: the node's gloeth address" });
  } else if (typeof overlayAddress !== "string" || !isIpv4(overlayAddress)) {
    errors.push({ field: `${field}.overlayAddress`, message: "an IPv4 address such as 10.200.0.1" });
  }
  if (typeof overlayInterface !== "string" || !INTERFACE.test(overlayInterface)) {
    errors.push({ field: `${field}.overlayInterface`, message: "an interface name of 1-15 characters" });
  }
  if (!isArchitecture(arch)) {
    errors.push({ field: `${field}.arch`, message: `one of ${ARCHITECTURES.join(", ")}` });
  }
  // Without an `ssh` of its own or shared settings, the host has no way in: a plan can still be made.
  const target = value.ssh === undefined && ssh === undefined
    ? undefined
    : parseSshTarget(typeof name === "string" ? name : "?", value.ssh, ssh ?? {}, `${field}.ssh`, errors);
  if (errors.length > before) return undefined;
  return {
    name: name as string,
    overlayAddress: overlayAddress as string,
    overlayInterface: overlayInterface as string,
    arch: arch as Architecture,
    ...(target ? { ssh: target } : {}),
  };
}

function parseHosts(
  value: unknown,
  field: string,
  ssh: SshTargetInput | undefined,
  errors: FieldError[],
): (K3sHost | undefined)[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push({ field, message: "a list of hosts" });
    return [];
  }
  return value.map((host, index) => parseHost(host, `${field}[${index}]`, ssh, errors));
}

function parseAirgap(
  value: unknown,
  errors: FieldError[],
): Partial<Record<Architecture, AirgapArtifacts>> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    errors.push({ field: "airgap", message: "artifacts by architecture: { x86_64: { binary, images } }" });
    return undefined;
  }
  const airgap: Partial<Record<Architecture, AirgapArtifacts>> = {};
  for (const [arch, artifacts] of Object.entries(value)) {
    const field = `airgap.${arch}`;
    if (!isArchitecture(arch)) {
      errors.push({ field, message: `not an architecture (${ARCHITECTURES.join(", ")})` });
      continue;
    }
    if (!isObject(artifacts)) {
      errors.push({ field, message: "{ binary, images }: paths on the controller" });
      continue;
    }
    const { binary, images } = artifacts;
    if (!absolutePath(binary)) {
      errors.push({ field: `${field}.binary`, message: "an absolute path on the controller" });
    }
    if (!absolutePath(images) || !IMAGES.test(images)) {
      errors.push({
        field: `${field}.images`,
        message: "an absolute path on the controller to a .tar, .tar.gz or .tar.zst image archive",
      });
    }
    if (absolutePath(binary) && absolutePath(images)) airgap[arch] = { binary, images };
  }
  return airgap;
}

/** The inventory checked and with its defaults, or FieldErrors naming every wrong field. */
export function parseK3sInventory(input: K3sInventoryInput): K3sInventory {
  const errors: FieldError[] = [];
  const { cluster, tokenFile, version, overlayUnit = DEFAULT_OVERLAY_UNIT } = input;
  if (typeof cluster !== "string" || !NAME.test(cluster)) {
    errors.push({ field: "cluster", message: "a name: 1-63 lowercase letters, digits or -" });
  }
  let ssh: SshTargetInput | undefined;
  if (input.ssh !== undefined && !isObject(input.ssh)) {
    errors.push({ field: "ssh", message: "shared SSH settings: { user?, identityFiles?, … }" });
  } else ssh = input.ssh as SshTargetInput | undefined;
  const servers = parseHosts(input.servers, "servers", ssh, errors);
  const agents = parseHosts(input.agents, "agents", ssh, errors);
  if (servers.length === 0 && !errors.some((error) => error.field === "servers")) {
    errors.push({ field: "servers", message: "at least one server: the first one initialises the cluster" });
  }
  const seenNames = new Map<string, string>();
  const seenAddresses = new Map<string, string>();
  const roles: [string, (K3sHost | undefined)[]][] = [["servers", servers], ["agents", agents]];
  for (const [role, hosts] of roles) {
    hosts.forEach((host, index) => {
      if (!host) return;
      const field = `${role}[${index}]`;
      const sameName = seenNames.get(host.name);
      if (sameName) errors.push({ field: `${field}.name`, message: `${host.name} is also ${sameName}` });
      else seenNames.set(host.name, field);
      const sameAddress = seenAddresses.get(host.overlayAddress);
      if (sameAddress) {
        errors.push({
          field: `${field}.overlayAddress`,
          message: `${host.overlayAddress} is also the address of ${sameAddress}`,
        });
      } else seenAddresses.set(host.overlayAddress, field);
    });
  }
  if (!absolutePath(tokenFile)) {
    errors.push({
      field: "tokenFile",
      message: "an absolute path on the controller of the cluster token file (made if absent)",
    });
  }
  const tlsSans = stringList(input.tlsSans, "tlsSans", errors);
  tlsSans.forEach((san, index) => {
    if (!SAN.test(san)) errors.push({ field: `tlsSans[${index}]`, message: "a host name or an IP address" });
  });
  const serverConfig = extraArgEntries(
    stringList(input.serverArgs, "serverArgs", errors),
    "serverArgs",
    errors,
  );
  const agentConfig = extraArgEntries(stringList(input.agentArgs, "agentArgs", errors), "agentArgs", errors);
  if (version !== undefined && (typeof version !== "string" || !VERSION.test(version))) {
    errors.push({ field: "version", message: "a k3s release such as v1.31.4+k3s1" });
  }
  const airgap = parseAirgap(input.airgap, errors);
  const hosts = [...servers, ...agents].filter((host) => host !== undefined);
  if (airgap) {
    for (const arch of new Set(hosts.map((host) => host.arch))) {
      if (!airgap[arch] && !errors.some((error) => error.field.startsWith(`airgap.${arch}`))) {
        const who = hosts.filter((host) => host.arch === arch).map((host) => host.name).join(", ");
        errors.push({ field: `airgap.${arch}`, message: `required: the artifacts for ${who} (${arch})` });
      }
    }
  } else if (version === undefined) {
    errors.push({ field: "version", message: "required unless air-gapped: the k3s release to download" });
  }
  if (typeof overlayUnit !== "string" || (overlayUnit !== "" && !UNIT.test(overlayUnit))) {
    errors.push({ field: "overlayUnit", message: "a unit name such as gloeth.service, or empty" });
  }
  if (errors.length > 0) throw new FieldErrors(errors);
  return {
    cluster: cluster as string,
    servers: servers as K3sHost[],
    agents: agents as K3sHost[],
    tokenFile: tokenFile as string,
    tlsSans,
    serverConfig,
    agentConfig,
    version: version as string | undefined,
    airgap,
    overlayUnit: overlayUnit as string,
  };
}
