/**
 * The webhook's signature: HMAC-SHA256 over "<timestamp>.<body>", so a receiver can check that the
 * request came from a holder of the key and, from the timestamp, that it is not a replay.
 */

/** "sha256=<lowercase hex>" for X-Nodin-Signature. */
export async function signatureHeader(key: string, timestamp: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(`${timestamp}.${body}`)),
  );
  return `sha256=${Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
