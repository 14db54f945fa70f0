// A gloeth mesh as the user describes it: where the controller keeps the network (its key never leaves
// it), the overlay network, and the hosts: how to reach each over SSH, its overlay address, whether it
// accepts links (and at which address the others dial it) or only dials out, whether it is a relay
// (no local segment), and the architecture it must have (else it is detected). Every node dials every
// listening node, so the mesh holds as long as any one of them is up.
import type { FieldError } from "../../errors/field_errors.ts";
import { FieldErrors } from "../../errors/field_errors.ts";
import { cidrContains, type Ipv4Cidr, isIpv4, parseCidr, parseIpv4 } from "../../net/ipv4addr.ts";
import type { Architecture } from "../ssh/facts.ts";
import type { HostSpec } from "../ssh/host.ts";
import { DEFAULT_LINK_PORT, DEFAULT_TAP } from "./paths.ts";
import { parseSshTarget, type SshTargetInput } from "../ssh_target.ts";

export interface GloethHost {
  /** The inventory name, also the gloeth node's name. */
  name: string;
  ssh: HostSpec;
  /** The node's address on the overlay (no prefix); none for a relay. */
  overlayAddress?: string;
  /** No local segment (`--tap ''`): it only forwards for others. */
  relay: boolean;
  /** Where the others dial it ("address:port"); undefined when it only dials out. */
  endpoint?: string;
  /** The architecture it must have; undefined: whatever it reports. */
  arch?: Architecture;
}

export interface GloethInventory {
  /** On the controller: network/ (the network key, 0600) and nodes/ (each node's files and record). */
  stateDir: string;
  overlay: Ipv4Cidr;
  /** The port nodes accept links on. */
  linkPort: number;
  tap: string;
  hosts: GloethHost[];
}

export interface GloethInventoryInput {
  stateDir?: unknown;
  overlayNetwork?: unknown;
  linkPort?: unknown;
  tap?: unknown;
  /** Shared SSH settings; each host's `ssh` overrides them. */
  ssh?: unknown;
  hosts?: unknown;
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const INTERFACE = /^[A-Za-z0-9_.-]{1,15}$/;
const ENDPOINT = /^[A-Za-z0-9.-]{1,253}:\d{1,5}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function absolutePath(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("/") && !value.split("/").includes("..") &&
    !/[\0\n]/.test(value);
}

function parseHost(
  value: unknown,
  field: string,
  context: { overlay?: Ipv4Cidr; linkPort: number; ssh: SshTargetInput },
  errors: FieldError[],
): GloethHost | undefined {
  if (!isObject(value)) {
    errors.push({
      field,
      message: "a host: { name, ssh, overlayAddress, listen?, endpoint?, relay?, arch? }",
    });
    return undefined;
  }
  const before = errors.length;
  const { name, overlayAddress, relay = false, listen = true, endpoint, arch } = value;
  const validName = typeof name === "string" && NAME.test(name);
  if (!validName) {
    errors.push({
      field: `${field}.name`,
      message: "1-63 lowercase letters, digits or -, starting and ending with a letter or digit",
    });
  }
  const ssh = parseSshTarget(validName ? name : "?", value.ssh, context.ssh, `${field}.ssh`, errors);
  if (typeof relay !== "boolean") errors.push({ field: `${field}.relay`, message: "true or false" });
  if (relay === true) {
    if (overlayAddress !== undefined) {
      errors.push({
        field: `${field}.overlayAddress`,
        message: "a relay has no local segment, so no address",
      });
    }
  } else if (typeof overlayAddress !== "string" || !isIpv4(overlayAddress)) {
    errors.push({
      field: `${field}.overlayAddress`,
      message: "required: an IPv4 address such as 10.200.0.1",
    });
  } else if (context.overlay && !cidrContains(context.overlay, parseIpv4(overlayAddress))) {
    errors.push({ field: `${field}.overlayAddress`, message: "not inside overlayNetwork" });
  }
  if (typeof listen !== "boolean") {
    errors.push({ field: `${field}.listen`, message: "true (accepts links) or false (only dials out)" });
  }
  if (endpoint !== undefined && (typeof endpoint !== "string" || !ENDPOINT.test(endpoint))) {
    errors.push({ field: `${field}.endpoint`, message: "address:port the other nodes dial" });
  }
  if (endpoint !== undefined && listen === false) {
    errors.push({ field: `${field}.endpoint`, message: "a host that only dials out has no endpoint" });
  }
  if (arch !== undefined && arch !== "x86_64" && arch !== "aarch64") {
    errors.push({ field: `${field}.arch`, message: "x86_64 or aarch64 (leave it out to detect it)" });
  }
  if (errors.length > before || !ssh) return undefined;
  return {
    name: name as string,
    ssh,
    overlayAddress: relay ? undefined : overlayAddress as string,
    relay: relay as boolean,
    endpoint: listen ? (endpoint as string | undefined) ?? `${ssh.address}:${context.linkPort}` : undefined,
    arch: arch as Architecture | undefined,
  };
}

/** The inventory checked and with its defaults, or FieldErrors naming every wrong field. */
export function parseGloethInventory(input: GloethInventoryInput): GloethInventory {
  const errors: FieldError[] = [];
  const { stateDir, overlayNetwork, linkPort = DEFAULT_LINK_PORT, tap = DEFAULT_TAP, ssh = {} } = input;
  if (!absolutePath(stateDir)) {
    errors.push({
      field: "stateDir",
      message: "an absolute path on the controller for the network key and the nodes' files (made if absent)",
    });
  }
  let overlay: Ipv4Cidr | undefined;
  try {
    if (typeof overlayNetwork !== "string") throw new Error();
    overlay = parseCidr(overlayNetwork);
  } catch {
    errors.push({
      field: "overlayNetwork",
      message: "required: the overlay's IPv4 network, e.g. 10.200.0.0/24",
    });
  }
  if (typeof linkPort !== "number" || !Number.isInteger(linkPort) || linkPort < 1 || linkPort > 65535) {
    errors.push({ field: "linkPort", message: "a TCP port (1-65535)" });
  }
  if (typeof tap !== "string" || !INTERFACE.test(tap)) {
    errors.push({ field: "tap", message: "an interface name of 1-15 characters" });
  }
  if (!isObject(ssh)) {
    errors.push({ field: "ssh", message: "shared SSH settings: { user?, identityFiles?, … }" });
  }
  const context = { overlay, linkPort: linkPort as number, ssh: isObject(ssh) ? ssh : {} };
  let hosts: (GloethHost | undefined)[] = [];
  if (!Array.isArray(input.hosts) || input.hosts.length === 0) {
    errors.push({ field: "hosts", message: "a list of at least one host" });
  } else {
    hosts = input.hosts.map((host, index) => parseHost(host, `hosts[${index}]`, context, errors));
  }
  const seenNames = new Map<string, string>();
  const seenAddresses = new Map<string, string>();
  hosts.forEach((host, index) => {
    if (!host) return;
    const field = `hosts[${index}]`;
    const sameName = seenNames.get(host.name);
    if (sameName) errors.push({ field: `${field}.name`, message: `${host.name} is also ${sameName}` });
    else seenNames.set(host.name, field);
    if (!host.overlayAddress) return;
    const sameAddress = seenAddresses.get(host.overlayAddress);
    if (sameAddress) {
      errors.push({
        field: `${field}.overlayAddress`,
        message: `${host.overlayAddress} is also the address of ${sameAddress}`,
      });
    } else seenAddresses.set(host.overlayAddress, field);
  });
  const parsed = hosts.filter((host) => host !== undefined);
  if (parsed.length > 1 && parsed.length === hosts.length && !parsed.some((host) => host.endpoint)) {
    errors.push({
      field: "hosts",
      message: "at least one host must accept links (listen), or none can link",
    });
  }
  if (errors.length > 0) throw new FieldErrors(errors);
  return {
    stateDir: stateDir as string,
    overlay: overlay!,
    linkPort: linkPort as number,
    tap: tap as string,
    hosts: parsed,
  };
}
