// Port-set specs as the scanner's users write them: `22`, `22,80,443`, `1-1024,8080`, `all`, `top:100`, and
// nmap's open ranges `-1024` (from 1) and `60000-` (to 65535). Entries are comma-separated, may repeat or
// overlap, and keywords ignore case; the result is always sorted and unique.
import type { TransportProtocol } from "../services/services_data.ts";
import { MAX_PORT, topPorts } from "./top_ports.ts";

/** A spec that names no valid port set; `token` is the offending entry ("" for a missing one). */
export class PortSetError extends Error {
  constructor(readonly token: string, reason: string) {
    super(`port set: ${reason}`);
    this.name = "PortSetError";
  }
}

// Quoted and cut short, so a hostile or pasted-by-mistake spec cannot make a huge error message.
const quote = (token: string) => JSON.stringify(token.length > 40 ? `${token.slice(0, 40)}…` : token);

const DIGITS = /^\d+$/;
const RANGE = /^(\d*)-(\d*)$/;
const TOP = /^top:(.*)$/;

function portNumber(text: string, token: string): number {
  const port = Number(text);
  if (port < 1 || port > MAX_PORT) throw new PortSetError(token, `${quote(token)} is outside 1-${MAX_PORT}`);
  return port;
}

function topCount(text: string, token: string): number {
  if (!DIGITS.test(text)) throw new PortSetError(token, `${quote(token)}: N in top:N must be a whole number`);
  const count = Number(text);
  if (count < 1) {
    throw new PortSetError(token, `${quote(token)} asks for no ports; N runs from 1 to ${MAX_PORT}`);
  }
  if (count > MAX_PORT) {
    throw new PortSetError(token, `${quote(token)} asks for more than the ${MAX_PORT} ports there are`);
  }
  return count;
}

/** Marks the entry's ports in `chosen` (indexed by port). */
function addEntry(entry: string, protocol: TransportProtocol, chosen: Uint8Array): void {
  const token = entry.trim();
  if (!token) throw new PortSetError(token, "empty entry (a stray comma?)");
  const keyword = token.toLowerCase();
  if (keyword === "all") {
    chosen.fill(1, 1);
    return;
  }
  const top = TOP.exec(keyword);
  if (top) {
    for (const port of topPorts(protocol, topCount(top[1], token))) chosen[port] = 1;
    return;
  }
  if (DIGITS.test(token)) {
    chosen[portNumber(token, token)] = 1;
    return;
  }
  const range = RANGE.exec(token);
  if (range && (range[1] || range[2])) {
    const first = range[1] ? portNumber(range[1], token) : 1;
    const last = range[2] ? portNumber(range[2], token) : MAX_PORT;
    if (first > last) throw new PortSetError(token, `${quote(token)} runs backwards`);
    chosen.fill(1, first, last + 1);
    return;
  }
  throw new PortSetError(token, `${quote(token)} is not a port, a range like 1-1024, "all" or "top:N"`);
}

/** The ports a spec names, ascending and unique; `top:N` ranks ports for `protocol`. Throws PortSetError. */
export function parsePortSet(spec: string, protocol: TransportProtocol = "tcp"): number[] {
  if (!spec.trim()) throw new PortSetError("", "empty port set");
  const chosen = new Uint8Array(MAX_PORT + 1);
  for (const entry of spec.split(",")) addEntry(entry, protocol, chosen);
  const ports: number[] = [];
  for (let port = 1; port <= MAX_PORT; port++) if (chosen[port]) ports.push(port);
  return ports;
}

/** A spec naming exactly these ports, runs of consecutive ports as ranges, e.g. [22, 80, 81, 82, 443] → "22,80-82,443"; [] → "". */
export function formatPortSet(ports: readonly number[]): string {
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
      throw new PortSetError(String(port), `${port} is not a port number (1-${MAX_PORT})`);
    }
  }
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const entries: string[] = [];
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
    entries.push(end === start ? `${sorted[start]}` : `${sorted[start]}-${sorted[end]}`);
    start = end + 1;
  }
  return entries.join(",");
}
