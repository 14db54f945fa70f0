// The known-hosts store: an OpenSSH known_hosts file (plain or hashed entries read, plain ones written),
// so a user's own file works and ours can be read by ssh. Trust on first use, then enforced: a host
// seen for the first time is recorded; a host whose key differs from every recorded one is refused,
// naming the fingerprints, and nothing is ever overwritten.
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { dirname } from "node:path";
import { SshError } from "./errors.ts";
import { base64ToBlob, blobToBase64, fingerprintOf, keyTypeOf } from "./fingerprint.ts";

interface Entry {
  patterns: string;
  type: string;
  blob: Uint8Array;
  revoked: boolean;
}

/** How OpenSSH names a host in known_hosts: the bare name on port 22, `[name]:port` otherwise. */
export function knownHostsLabel(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function matchesHashed(pattern: string, label: string): boolean {
  const [, , salt, hash] = pattern.split("|");
  if (!salt || !hash) return false;
  const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(label).digest("base64");
  return digest === hash;
}

function matchesLabel(patterns: string, label: string): boolean {
  if (patterns.startsWith("|1|")) return matchesHashed(patterns, label);
  // Wildcards in known_hosts are rare; exact names (comma-separated) are what ssh itself writes.
  return patterns.split(",").includes(label);
}

function parse(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0].startsWith("@")) {
      // Certificate authorities are not supported: such a line vouches for no key here.
      if (fields[0] !== "@revoked") continue;
      revoked = true;
      fields.shift();
    }
    if (fields.length < 3) continue;
    entries.push({ patterns: fields[0], type: fields[1], blob: base64ToBlob(fields[2]), revoked });
  }
  return entries;
}

function sameBlob(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

export type HostKeyOutcome = "known" | "recorded";

/**
 * Synchronous on purpose: ssh2's asynchronous host verifier (the callback form) breaks some handshakes
 * when the server's NEWKEYS and EXT_INFO arrive while the verdict is pending (here about half the
 * connections stalled until the handshake timeout; mscdex/ssh2 issue 1312 reports the same with "Bad
 * packet length"). A read-check-append that never yields also cannot interleave with another host's,
 * so hosts connecting in parallel need no lock. The file is small.
 */
export class KnownHosts {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Checks the key `host` offered (as the connection's label, see knownHostsLabel). Records it when the
   * host has no entry; throws a "host-key" SshError when it has entries and none is this key.
   */
  verify(hostName: string, label: string, blob: Uint8Array): HostKeyOutcome {
    const offered = `${keyTypeOf(blob)} ${fingerprintOf(blob)}`;
    const entries = this.#entries().filter((entry) => matchesLabel(entry.patterns, label));
    if (entries.some((entry) => entry.revoked && sameBlob(entry.blob, blob))) {
      throw new SshError(
        "host-key",
        hostName,
        `host key ${offered} for ${label} is marked @revoked in ${this.path}`,
      );
    }
    const trusted = entries.filter((entry) => !entry.revoked);
    if (trusted.some((entry) => sameBlob(entry.blob, blob))) return "known";
    if (trusted.length > 0) {
      const expected = trusted.map((entry) => `${entry.type} ${fingerprintOf(entry.blob)}`).join(", ");
      throw new SshError(
        "host-key",
        hostName,
        `HOST KEY CHANGED for ${label}: expected ${expected} (recorded in ${this.path}), ` +
          `offered ${offered}; refusing to connect. If the host was really reinstalled, remove its ` +
          `line from ${this.path} after checking the new fingerprint out of band.`,
      );
    }
    this.#append(`${label} ${keyTypeOf(blob)} ${blobToBase64(blob)}\n`);
    return "recorded";
  }

  /** The fingerprints recorded for a label (for messages and tests). */
  fingerprints(label: string): string[] {
    return this.#entries().filter((entry) => matchesLabel(entry.patterns, label))
      .map((entry) => `${entry.type} ${fingerprintOf(entry.blob)}`);
  }

  /** Every recorded host (its patterns as written: a label, several, or a hashed name) and its keys. */
  list(): { host: string; fingerprints: string[] }[] {
    const byHost = new Map<string, string[]>();
    for (const entry of this.#entries()) {
      const shown = `${entry.revoked ? "@revoked " : ""}${entry.type} ${fingerprintOf(entry.blob)}`;
      byHost.set(entry.patterns, [...byHost.get(entry.patterns) ?? [], shown]);
    }
    return [...byHost].map(([host, fingerprints]) => ({ host, fingerprints }));
  }

  /**
   * Removes the trusted entries for `label` (a host really reinstalled; ssh-keygen -R): the next contact
   * records its new key. @revoked lines stay. Returns how many lines went.
   */
  forget(label: string): number {
    let text: string;
    try {
      text = Deno.readTextFileSync(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return 0;
      throw error;
    }
    let removed = 0;
    const kept = text.split("\n").filter((raw) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith("@")) return true;
      const patterns = line.split(/\s+/)[0];
      if (!matchesLabel(patterns, label)) return true;
      removed++;
      return false;
    });
    if (removed > 0) Deno.writeTextFileSync(this.path, kept.join("\n"), { mode: 0o600 });
    return removed;
  }

  #entries(): Entry[] {
    try {
      return parse(Deno.readTextFileSync(this.path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  }

  #append(line: string): void {
    Deno.mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const file = Deno.openSync(this.path, { append: true, create: true, mode: 0o600 });
    try {
      // The mode above applies only to a new file; an existing one is tightened too (it names the
      // hosts the deployers reach).
      Deno.chmodSync(this.path, 0o600);
      file.writeSync(new TextEncoder().encode(line));
    } finally {
      file.close();
    }
  }
}
