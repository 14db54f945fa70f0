// Hex for test vectors, written the way the RFCs print them: whitespace and colons between bytes are
// ignored so vectors can be pasted row by row.

export function fromHex(text: string): Uint8Array<ArrayBuffer> {
  const digits = text.replace(/[\s:]/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex: ${text.slice(0, 40)}`);
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
