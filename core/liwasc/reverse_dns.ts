const lookupTimeoutMs = 2000;

/**
 * The PTR name of an IPv4 address through the system resolver, or undefined (no record, no resolver,
 * timeout). Off unless the operator turns it on: it sends the node's address to the configured DNS server.
 */
export async function reverseLookup(
  ip: string,
  signal?: AbortSignal,
  nameServer?: { ipAddr: string; port?: number },
): Promise<string | undefined> {
  const name = `${ip.split(".").reverse().join(".")}.in-addr.arpa`;
  const timeout = AbortSignal.timeout(lookupTimeoutMs);
  try {
    const records = await Deno.resolveDns(name, "PTR", {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      nameServer,
    });
    return records[0]?.replace(/\.$/, "");
  } catch {
    return undefined;
  }
}
