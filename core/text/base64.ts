/** Standard base64 (RFC 4648 §4) with padding; decoding refuses anything else. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new SyntaxError("not base64");
  return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
}
