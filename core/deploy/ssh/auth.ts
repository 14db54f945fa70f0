// The credentials offered to a host, in ssh's order: the agent's keys, then key files, then an inline
// key. Key files are read and parsed before connecting, so a missing file or a forgotten passphrase is
// named as such instead of showing up as a refused login.
import { Buffer } from "node:buffer";
import ssh2 from "ssh2";
import type { AgentAuthMethod, PublicKeyAuthMethod } from "ssh2";
import { SshError } from "./errors.ts";
import type { HostSpec } from "./host.ts";

export interface Credentials {
  methods: (AgentAuthMethod | PublicKeyAuthMethod)[];
  /** What is offered, for the refusal message ("agent /tmp/…/agent.sock", "key /root/.ssh/id_ed25519"). */
  described: string[];
}

function parsedKey(spec: HostSpec, source: string, text: Buffer) {
  const parsed = ssh2.utils.parseKey(text, spec.passphrase);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    throw new SshError(
      "auth",
      spec.name,
      encrypted && spec.passphrase === undefined
        ? `${source} is encrypted and no passphrase was given`
        : `${source} is not a usable private key: ${parsed.message}`,
    );
  }
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

export async function credentialsFor(spec: HostSpec, user: string): Promise<Credentials> {
  const methods: Credentials["methods"] = [];
  const described: string[] = [];
  const agent = spec.agent === undefined ? Deno.env.get("SSH_AUTH_SOCK") : spec.agent || undefined;
  if (agent) {
    methods.push({ type: "agent", username: user, agent });
    described.push(`agent ${agent}`);
  }
  for (const file of spec.identityFiles ?? []) {
    let text: Uint8Array;
    try {
      text = await Deno.readFile(file);
    } catch (error) {
      throw new SshError("auth", spec.name, `key file ${file} cannot be read: ${(error as Error).message}`);
    }
    methods.push({
      type: "publickey",
      username: user,
      key: parsedKey(spec, `key file ${file}`, Buffer.from(text)),
    });
    described.push(`key ${file}`);
  }
  if (spec.privateKey !== undefined) {
    methods.push({
      type: "publickey",
      username: user,
      key: parsedKey(spec, "the inline private key", Buffer.from(spec.privateKey)),
    });
    described.push("inline key");
  }
  if (methods.length === 0) {
    throw new SshError(
      "auth",
      spec.name,
      "no credentials: no agent (SSH_AUTH_SOCK unset), no key file, no key",
    );
  }
  return { methods, described };
}
