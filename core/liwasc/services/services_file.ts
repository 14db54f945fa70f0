// Parser for services(5)-style files: `name port[-last]/proto[/proto…] [aliases…] [# description]`.
// Wireshark's IANA copy merges protocols (`22/tcp/udp/sctp`) and ranges (`6000-6063/tcp/udp`); netbase's
// /etc/services lists one protocol per line with aliases. Both parse here.
import type { TransportProtocol } from "./services_data.ts";

export interface ServiceEntry {
  port: number;
  protocol: TransportProtocol;
  name: string;
  description: string;
  aliases: string[];
}

export class ServicesFileError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`services file line ${line}: ${reason}`);
    this.name = "ServicesFileError";
  }
}

const PORT_FIELD = /^(\d+)(?:-(\d+))?((?:\/[a-z]+)+)$/;

/** Entries for tcp and udp in file order (sctp, dccp and the like are dropped: the scanner does neither). */
export function parseServicesFile(text: string): ServiceEntry[] {
  const entries: ServiceEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const hash = raw.indexOf("#");
    const fields = (hash < 0 ? raw : raw.slice(0, hash)).trim().split(/\s+/).filter(Boolean);
    if (!fields.length) return;
    const lineNumber = index + 1;
    const [name, portField, ...aliases] = fields;
    const match = portField === undefined ? null : PORT_FIELD.exec(portField);
    if (!match) {
      throw new ServicesFileError(lineNumber, `expected "name port/protocol", got ${JSON.stringify(raw)}`);
    }
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first > last || last > 65535) throw new ServicesFileError(lineNumber, `bad port ${portField}`);
    const description = hash < 0 ? "" : raw.slice(hash + 1).trim();
    const protocols = match[3].split("/").filter((p): p is TransportProtocol => p === "tcp" || p === "udp");
    for (let port = first; port <= last; port++) {
      for (const protocol of protocols) entries.push({ port, protocol, name, description, aliases });
    }
  });
  return entries;
}
