import { RMCP_PORT } from "../../../net/ipmi/mod.ts";
import { PowerDriverError } from "../driver.ts";

/** Where a BMC listens: an IPv4 address or host name, and the UDP port (623 unless given). */
export interface BmcAddress {
  host: string;
  port: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses "host" or "host:port"; a bad address is refused before any packet is sent. */
export function parseBmcAddress(text: string): BmcAddress {
  const match = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(text.trim());
  const port = match?.[2] === undefined ? RMCP_PORT : Number(match[2]);
  if (!match || port < 1 || port > 65535) {
    throw new PowerDriverError("refused", `BMC address ${JSON.stringify(text)} is not host[:port]`);
  }
  const quad = IPV4.exec(match[1]);
  if (quad && quad.slice(1).some((part) => Number(part) > 255)) {
    throw new PowerDriverError("refused", `BMC address ${JSON.stringify(text)} is not a valid IPv4 address`);
  }
  return { host: match[1], port };
}

/** The IPv4 address to send to: the host itself, or its first A record. */
export async function resolveBmcHost(host: string): Promise<string> {
  if (IPV4.test(host)) return host;
  try {
    const [first] = await Deno.resolveDns(host, "A");
    if (first) return first;
  } catch (error) {
    throw new PowerDriverError("unreachable", `cannot resolve BMC host ${host}: ${(error as Error).message}`);
  }
  throw new PowerDriverError("unreachable", `BMC host ${host} has no IPv4 address`);
}
