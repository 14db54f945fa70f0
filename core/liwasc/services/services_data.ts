// The shape of services.gen.json, shared by the generator that writes it and the lookup that reads it.

export type TransportProtocol = "tcp" | "udp";

/** Bit per protocol in a row's protocol mask; a row valid for both carries 3. */
export const PROTOCOL_BITS: Readonly<Record<TransportProtocol, number>> = { tcp: 1, udp: 2 };

/**
 * One registry entry: port, protocol mask, primary name, description, then any further names. Rows are
 * grouped by port so the common case (same name on tcp and udp) is stored once.
 */
export type ServiceRow = [
  port: number,
  protocols: number,
  name: string,
  description: string,
  ...aliases: string[],
];

/** Where the data came from, so a reader can tell which registry snapshot it is looking at. */
export interface ServicesSource {
  file: string;
  /** The Debian package that ships the file, with its version, when dpkg knows it. */
  package?: string;
  /** Upstream origin named in the file's header, when it names one. */
  origin?: string;
  sha256: string;
}

export interface ServicesData {
  source: ServicesSource;
  format: string;
  ports: ServiceRow[];
}
