/**
 * A JSON Web Token signed with RS256 (RSASSA-PKCS1-v1_5, SHA-256) through WebCrypto, from a PKCS#8 PEM key
 * as Google's service-account key files carry it.
 */

export function base64Url(bytes: Uint8Array): string {
  return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

/** The DER bytes inside a PEM block ("-----BEGIN PRIVATE KEY-----" …). */
export function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const match = pem.match(new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`));
  if (!match) throw new Error(`no ${label} PEM block`);
  return Uint8Array.from(atob(match[1].replace(/\s+/g, "")), (char) => char.charCodeAt(0));
}

const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

export function importPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", pemBody(pem, "PRIVATE KEY"), algorithm, false, ["sign"]);
}

export async function signJwtRs256(
  claims: Record<string, unknown>,
  key: CryptoKey,
  keyId?: string,
): Promise<string> {
  const encoder = new TextEncoder();
  const header = { alg: "RS256", typ: "JWT", ...(keyId ? { kid: keyId } : {}) };
  const signingInput = `${base64Url(encoder.encode(JSON.stringify(header)))}.` +
    base64Url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign(algorithm, key, encoder.encode(signingInput));
  return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}
