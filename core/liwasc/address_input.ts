import { type Ipv4Address, parseIpv4 } from "../net/ipv4addr.ts";
import { LiwascInputError } from "./input_error.ts";

/** An IPv4 address from a request, or an input error naming the request's field. */
export function parseAddressInput(text: string, field: string): Ipv4Address {
  try {
    return parseIpv4(text);
  } catch (error) {
    throw new LiwascInputError(field, (error as Error).message);
  }
}
