import { InputError } from "../errors/input_error.ts";
import { AddressSyntaxError } from "../net/errors.ts";

/**
 * One request field's text parsed as an address (IPv4, MAC …). Text that is not one becomes an InputError
 * naming the field, e.g. `ip: invalid IPv4 address "10.0.0": …`, so a caller with several fields learns
 * which is wrong; the API answers it with INVALID_ARGUMENT.
 */
export function parseField<T>(field: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof AddressSyntaxError) throw new InputError(field, error.message);
    throw error;
  }
}
