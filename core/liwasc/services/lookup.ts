// Port → IANA service name for scan reports. The table is built on first use: most scanner runs never
// name a port, and the JSON holds about six thousand rows.
import data from "./services.gen.json" with { type: "json" };
import { PROTOCOL_BITS, type ServiceRow, type TransportProtocol } from "./services_data.ts";

export interface Service {
  readonly name: string;
  readonly description: string;
  /** Further names registered for the same port and protocol; absent when there are none. */
  readonly aliases?: readonly string[];
}

type ServiceTable = Record<TransportProtocol, Map<number, Service>>;

let table: ServiceTable | undefined;

function buildTable(rows: readonly ServiceRow[]): ServiceTable {
  const built: ServiceTable = { tcp: new Map(), udp: new Map() };
  for (const [port, protocols, name, description, ...aliases] of rows) {
    // Frozen, so a caller editing a result cannot change what the next caller sees.
    const service: Service = Object.freeze(
      aliases.length ? { name, description, aliases: Object.freeze(aliases) } : { name, description },
    );
    for (const protocol of ["tcp", "udp"] as const) {
      if (protocols & PROTOCOL_BITS[protocol]) built[protocol].set(port, service);
    }
  }
  return built;
}

function services(protocol: TransportProtocol): Map<number, Service> {
  // The JSON module's inferred type widens each row to (string | number)[]; the generator guarantees the shape.
  table ??= buildTable(data.ports as unknown as ServiceRow[]);
  return table[protocol];
}

/** The registry's service on a port, e.g. 22/tcp → ssh; undefined for an unregistered port. */
export function serviceOf(port: number, protocol: TransportProtocol): Service | undefined {
  return services(protocol).get(port);
}

/** Every port the registry names for the protocol, ascending. */
export function registeredPorts(protocol: TransportProtocol): number[] {
  return [...services(protocol).keys()].sort((a, b) => a - b);
}

/** Which registry snapshot the table comes from (file, Debian package and version, checksum). */
export const servicesSource = data.source;
