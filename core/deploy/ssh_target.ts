// How an inventory names the way to a host: the executor's HostSpec fields that can be written in JSON
// (address, port, user, key files, agent, a ProxyCommand, a jump host), with defaults shared by all hosts.
import type { FieldError } from "../errors/field_errors.ts";
import type { HostSpec } from "./ssh/host.ts";

export interface SshTargetInput {
  address?: unknown;
  port?: unknown;
  user?: unknown;
  identityFiles?: unknown;
  agent?: unknown;
  proxyCommand?: unknown;
  connectTimeoutMs?: unknown;
  jump?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ADDRESS = /^[A-Za-z0-9.:_-]{1,253}$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

/** `input` over `defaults`, checked; errors are named under `field`. */
export function parseSshTarget(
  name: string,
  input: unknown,
  defaults: SshTargetInput,
  field: string,
  errors: FieldError[],
): HostSpec | undefined {
  if (input !== undefined && !isObject(input)) {
    errors.push({
      field,
      message: "{ address, port?, user?, identityFiles?, agent?, proxyCommand?, jump? }",
    });
    return undefined;
  }
  const merged: SshTargetInput = { ...defaults, ...(input ?? {}) };
  const before = errors.length;
  const { address, port = 22, user = "root", identityFiles, agent, proxyCommand, connectTimeoutMs } = merged;
  if (typeof address !== "string" || !ADDRESS.test(address)) {
    errors.push({ field: `${field}.address`, message: "required: the host name or IP address to reach" });
  }
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push({ field: `${field}.port`, message: "a TCP port (1-65535)" });
  }
  if (typeof user !== "string" || !USER.test(user)) {
    errors.push({ field: `${field}.user`, message: "a login name" });
  }
  if (
    identityFiles !== undefined &&
    (!Array.isArray(identityFiles) || identityFiles.some((file) => typeof file !== "string" || !file))
  ) {
    errors.push({ field: `${field}.identityFiles`, message: "a list of private key file paths" });
  }
  if (agent !== undefined && agent !== false && typeof agent !== "string") {
    errors.push({ field: `${field}.agent`, message: "the ssh-agent socket path, or false for none" });
  }
  if (proxyCommand !== undefined && (typeof proxyCommand !== "string" || /[\0\n]/.test(proxyCommand))) {
    errors.push({ field: `${field}.proxyCommand`, message: "one command line (%h, %p, %r are replaced)" });
  }
  if (
    connectTimeoutMs !== undefined &&
    (typeof connectTimeoutMs !== "number" || !(connectTimeoutMs >= 100 && connectTimeoutMs <= 600_000))
  ) {
    errors.push({ field: `${field}.connectTimeoutMs`, message: "milliseconds, 100 to 600000" });
  }
  let jump: HostSpec | undefined;
  if (isObject(input) && input.jump !== undefined) {
    // A jump host takes the shared defaults too, but not this host's own fields.
    jump = parseSshTarget(`${name} (jump host)`, input.jump, defaults, `${field}.jump`, errors);
  }
  if (errors.length > before) return undefined;
  return {
    name,
    address: address as string,
    port: port as number,
    user: user as string,
    identityFiles: identityFiles as string[] | undefined,
    agent: agent as string | false | undefined,
    proxyCommand: jump ? undefined : proxyCommand as string | undefined,
    connectTimeoutMs: connectTimeoutMs as number | undefined,
    jump,
  };
}
