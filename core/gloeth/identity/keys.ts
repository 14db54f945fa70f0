// Ed25519 and X25519 through WebCrypto (Deno's is built on audited Rust crates). Keys are kept as raw
// public bytes and PKCS#8 private bytes so they can be written to files and read back.

export interface SigningKeyPair {
  publicKey: Uint8Array;
  privateKey: CryptoKey;
  privatePkcs8: Uint8Array;
}

export interface DhKeyPair {
  publicKey: Uint8Array;
  privateKey: CryptoKey;
  privatePkcs8: Uint8Array;
}

async function generate(algorithm: "Ed25519" | "X25519"): Promise<SigningKeyPair> {
  const usages: KeyUsage[] = algorithm === "Ed25519" ? ["sign", "verify"] : ["deriveBits"];
  const pair = await crypto.subtle.generateKey({ name: algorithm }, true, usages) as CryptoKeyPair;
  const privatePkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return {
    publicKey: new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)),
    privateKey: await importPrivate(algorithm, privatePkcs8),
    privatePkcs8,
  };
}

/** Private keys are re-imported non-extractable: once loaded, nothing in the process can export them. */
function importPrivate(algorithm: "Ed25519" | "X25519", pkcs8: Uint8Array): Promise<CryptoKey> {
  const usages: KeyUsage[] = algorithm === "Ed25519" ? ["sign"] : ["deriveBits"];
  return crypto.subtle.importKey(
    "pkcs8",
    pkcs8 as Uint8Array<ArrayBuffer>,
    { name: algorithm },
    false,
    usages,
  );
}

export const generateSigningKey = () => generate("Ed25519");
export const generateDhKey = (): Promise<DhKeyPair> => generate("X25519");

export async function loadSigningKey(
  publicKey: Uint8Array,
  privatePkcs8: Uint8Array,
): Promise<SigningKeyPair> {
  return { publicKey, privatePkcs8, privateKey: await importPrivate("Ed25519", privatePkcs8) };
}

export async function loadDhKey(publicKey: Uint8Array, privatePkcs8: Uint8Array): Promise<DhKeyPair> {
  return { publicKey, privatePkcs8, privateKey: await importPrivate("X25519", privatePkcs8) };
}

export async function sign(key: SigningKeyPair, message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign("Ed25519", key.privateKey, message as Uint8Array<ArrayBuffer>),
  );
}

/** False for a bad signature and for a malformed key alike: callers only need "trusted or not". */
export async function verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = await crypto.subtle.importKey(
      "raw",
      publicKey as Uint8Array<ArrayBuffer>,
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    return await crypto.subtle.verify(
      "Ed25519",
      key,
      signature as Uint8Array<ArrayBuffer>,
      message as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return false;
  }
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/** A network's id, and a node's: the first 16 bytes of SHA-256 of the Ed25519 public key. */
export async function keyId(signPublicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(signPublicKey)).slice(0, 16);
}
