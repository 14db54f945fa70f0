import { dirname } from "node:path";
import { decodeBase64, encodeBase64 } from "../../text/base64.ts";
import { type DhKeyPair, loadDhKey, loadSigningKey, type SigningKeyPair } from "./keys.ts";

// Key material on disk: JSON with base64 fields. Files holding a private key are created 0600 (and a
// looser mode is refused when read); certificates and public keys are public.

export class KeyFileError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = "KeyFileError";
  }
}

export interface NodeKeys {
  name: string;
  sign: SigningKeyPair;
  dh: DhKeyPair;
}

async function writePrivate(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // createNew: an existing key is never overwritten by accident.
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n", { mode: 0o600, createNew: true });
  await Deno.chmod(path, 0o600);
}

async function readPrivate(path: string): Promise<Record<string, string>> {
  const info = await Deno.stat(path);
  if (info.mode !== null && (info.mode & 0o077) !== 0) {
    throw new KeyFileError(
      path,
      `holds a private key but is readable by others (mode ${(info.mode & 0o777).toString(8)}); chmod 600`,
    );
  }
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new KeyFileError(path, `not a key file: ${(error as Error).message}`);
  }
}

function field(record: Record<string, string>, name: string, path: string): Uint8Array {
  const value = record[name];
  if (typeof value !== "string") throw new KeyFileError(path, `missing "${name}"`);
  try {
    return decodeBase64(value);
  } catch {
    throw new KeyFileError(path, `"${name}" is not base64`);
  }
}

export async function writeNetworkKey(path: string, key: SigningKeyPair): Promise<void> {
  await writePrivate(path, {
    kind: "gloeth-network-key",
    publicKey: encodeBase64(key.publicKey),
    privateKey: encodeBase64(key.privatePkcs8),
  });
}

export async function readNetworkKey(path: string): Promise<SigningKeyPair> {
  const record = await readPrivate(path);
  if (record.kind !== "gloeth-network-key") throw new KeyFileError(path, "not a gloeth network key");
  return await loadSigningKey(field(record, "publicKey", path), field(record, "privateKey", path));
}

export async function writeNodeKeys(path: string, keys: NodeKeys): Promise<void> {
  await writePrivate(path, {
    kind: "gloeth-node-keys",
    name: keys.name,
    signPublicKey: encodeBase64(keys.sign.publicKey),
    signPrivateKey: encodeBase64(keys.sign.privatePkcs8),
    dhPublicKey: encodeBase64(keys.dh.publicKey),
    dhPrivateKey: encodeBase64(keys.dh.privatePkcs8),
  });
}

export async function readNodeKeys(path: string): Promise<NodeKeys> {
  const record = await readPrivate(path);
  if (record.kind !== "gloeth-node-keys") throw new KeyFileError(path, "not gloeth node keys");
  return {
    name: String(record.name),
    sign: await loadSigningKey(field(record, "signPublicKey", path), field(record, "signPrivateKey", path)),
    dh: await loadDhKey(field(record, "dhPublicKey", path), field(record, "dhPrivateKey", path)),
  };
}

/** Public material (a certificate, the network's public key, a revocation list): base64 in a text file. */
export async function writePublic(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.writeTextFile(path, encodeBase64(bytes) + "\n");
}

export async function readPublic(path: string): Promise<Uint8Array> {
  const text = (await Deno.readTextFile(path)).trim();
  try {
    return decodeBase64(text);
  } catch {
    throw new KeyFileError(path, "not base64");
  }
}
