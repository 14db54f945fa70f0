// Turns parsed registry entries into services.gen.json: rows grouped by port, written one row per line in
// exactly the layout `deno fmt` gives JSON, so the committed file is both diffable and format-clean.
import type { ServiceEntry } from "./services_file.ts";
import { PROTOCOL_BITS, type ServiceRow, type ServicesData, type ServicesSource } from "./services_data.ts";

export const ROW_FORMAT =
  "ports rows are [port, protocols (1 tcp, 2 udp, 3 both), primary name, description, ...other names]";

interface Merged {
  name: string;
  description: string;
  aliases: string[];
}

/** The first entry for a port and protocol is the registry's primary one; later names become aliases. */
function mergeByPortAndProtocol(entries: ServiceEntry[]): Map<string, Merged> {
  const merged = new Map<string, Merged>();
  for (const entry of entries) {
    const key = `${entry.port}/${entry.protocol}`;
    let service = merged.get(key);
    if (!service) {
      service = { name: entry.name, description: entry.description, aliases: [] };
      merged.set(key, service);
    }
    for (const name of [entry.name, ...entry.aliases]) {
      if (name !== service.name && !service.aliases.includes(name)) service.aliases.push(name);
    }
  }
  return merged;
}

const row = (port: number, protocols: number, service: Merged): ServiceRow => [
  port,
  protocols,
  service.name,
  service.description,
  ...service.aliases,
];

export function buildServicesData(entries: ServiceEntry[], source: ServicesSource): ServicesData {
  const merged = mergeByPortAndProtocol(entries);
  const ports = [...new Set(entries.map((entry) => entry.port))].sort((a, b) => a - b);
  const rows: ServiceRow[] = [];
  for (const port of ports) {
    const tcp = merged.get(`${port}/tcp`);
    const udp = merged.get(`${port}/udp`);
    if (tcp && udp && JSON.stringify(tcp) === JSON.stringify(udp)) {
      rows.push(row(port, PROTOCOL_BITS.tcp | PROTOCOL_BITS.udp, tcp));
      continue;
    }
    if (tcp) rows.push(row(port, PROTOCOL_BITS.tcp, tcp));
    if (udp) rows.push(row(port, PROTOCOL_BITS.udp, udp));
  }
  return { source, format: ROW_FORMAT, ports: rows };
}

const indent = (text: string, by: string) => text.split("\n").join(`\n${by}`);

// deno fmt keeps an array on one line only while it fits the line width, but never joins one written an
// element per line; so a row that might not fit goes multi-line, and the output is fmt-clean at any width.
const SAFE_LINE_WIDTH = 80;

function formatRow(row: ServiceRow): string {
  const values = row.map((value) => JSON.stringify(value));
  const line = `    [${values.join(", ")}],`;
  if (line.length <= SAFE_LINE_WIDTH) return line.slice(0, -1);
  return `    [\n${values.map((value) => `      ${value}`).join(",\n")}\n    ]`;
}

export function formatServicesJson(data: ServicesData): string {
  const rows = data.ports.map(formatRow);
  return [
    "{",
    `  "source": ${indent(JSON.stringify(data.source, null, 2), "  ")},`,
    `  "format": ${JSON.stringify(data.format)},`,
    // An empty array must stay `[]`: the formatter would fold a blank line away.
    rows.length ? `  "ports": [\n${rows.join(",\n")}\n  ]` : `  "ports": []`,
    "}",
    "",
  ].join("\n");
}
