// The service's own SSH key: ed25519, made on first start in the data directory (the private half 0600,
// in a 0700 folder, never returned nor logged), the public half shown for the hosts' authorized_keys.
import { Buffer } from "node:buffer";
import { join } from "node:path";
import ssh2 from "ssh2";
import { fingerprintOf } from "../deploy/ssh/fingerprint.ts";

export interface ServiceKey {
  /** The private key file, what the executor is given (HostSpec.identityFiles). */
  privateKeyFile: string;
  /** One authorized_keys line. */
  publicKey: string;
  fingerprint: string;
}

function readIfPresent(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Synchronous: the module has its key before it registers anything. */
export function ensureServiceKey(dir: string): ServiceKey {
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  Deno.chmodSync(dir, 0o700);
  const privateKeyFile = join(dir, "id_ed25519");
  const publicKeyFile = `${privateKeyFile}.pub`;
  let publicKey = readIfPresent(publicKeyFile);
  if (publicKey === undefined || readIfPresent(privateKeyFile) === undefined) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment: `ctpf-deploy@${Deno.hostname()}` });
    // Written under a temporary name first: a crash never leaves half a key where a whole one is read.
    const temporary = `${privateKeyFile}.new`;
    Deno.writeTextFileSync(temporary, pair.private, { mode: 0o600 });
    Deno.renameSync(temporary, privateKeyFile);
    publicKey = `${pair.public.trim()}\n`;
    Deno.writeTextFileSync(publicKeyFile, publicKey, { mode: 0o644 });
  }
  // An existing key is kept but never left readable by others.
  Deno.chmodSync(privateKeyFile, 0o600);
  const line = publicKey.trim();
  const blob = new Uint8Array(Buffer.from(line.split(/\s+/)[1] ?? "", "base64"));
  return { privateKeyFile, publicKey: line, fingerprint: fingerprintOf(blob) };
}
