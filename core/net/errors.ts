// Decoders report malformed input as a value, never by throwing: packets come from the network, and a
// hostile or broken peer must not be able to unwind a service's receive loop.

/** Why bytes could not be decoded at one protocol layer, e.g. "ipv4: total length 60 exceeds the 14 bytes captured". */
export class DecodeError extends Error {
  constructor(readonly layer: string, readonly reason: string, options?: ErrorOptions) {
    super(`${layer}: ${reason}`, options);
    this.name = "DecodeError";
  }
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

export function decoded<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function decodeFailure(layer: string, reason: string): { ok: false; error: DecodeError } {
  return { ok: false, error: new DecodeError(layer, reason) };
}

/** For callers that treat malformed input as a bug (tests, constants): the value, or the DecodeError thrown. */
export function unwrap<T>(result: Decoded<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Malformed address text (MAC, IPv4, CIDR). Text comes from configuration and APIs, where failing loudly
 * is wanted, so parsers throw this rather than returning a Decoded.
 */
export class AddressSyntaxError extends TypeError {
  constructor(readonly kind: string, readonly input: string, readonly reason: string) {
    super(`invalid ${kind} ${JSON.stringify(input)}: ${reason}`);
    this.name = "AddressSyntaxError";
  }
}
