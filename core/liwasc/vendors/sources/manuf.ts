// Wireshark's manuf file: the IEEE registries merged with Wireshark's own corrections, one block a line,
//   00:00:0C<TAB>Cisco<TAB>Cisco Systems, Inc
//   70:B3:D5:1A:B0:00/36<TAB>Short<TAB>Long name<TAB># comment
// Either name may be missing or empty; the long one is preferred. Older releases also list well-known
// group addresses with other lengths (01:80:C2:00:00:00/44, full 48-bit addresses); those are not
// registry blocks and are skipped.
import { type Assignment, isPrefixBits } from "../prefix.ts";

export interface ManufContents {
  assignments: Assignment[];
  /** Lines with a prefix length the registries do not assign. */
  skipped: number;
  /** Newest "Last-Modified" of the IEEE files the header says the data was merged from, as ISO 8601. */
  ieeeLastModified?: string;
}

const ADDRESS = /^([0-9a-f]{2}(?:[:.-][0-9a-f]{2}){0,5})(?:\/(\d{1,2}))?$/i;

function newestLastModified(text: string): string | undefined {
  const dates = [...text.matchAll(/^#\s+Last-Modified:\s*(.+)$/gm)]
    .map((match) => Date.parse(match[1].trim()))
    .filter((time) => Number.isFinite(time));
  return dates.length ? new Date(Math.max(...dates)).toISOString() : undefined;
}

function parseLine(line: string, lineNumber: number): Assignment | "skipped" {
  const fail = (reason: string): never => {
    throw new SyntaxError(`manuf line ${lineNumber}: ${reason}: ${JSON.stringify(line.slice(0, 120))}`);
  };
  const [address, ...rest] = line.split("\t");
  const commentAt = rest.findIndex((field) => field.trimStart().startsWith("#"));
  const names = (commentAt < 0 ? rest : rest.slice(0, commentAt)).map((field) => field.trim())
    .filter((field) => field !== "");
  const organisation = (names[1] ?? names[0] ?? fail("no organisation name")).replace(/\s+/g, " ");

  const match = ADDRESS.exec(address.trim()) ?? fail("unreadable address");
  const hex = match[1].replace(/[:.-]/g, "");
  const bits = match[2] === undefined ? hex.length * 4 : Number(match[2]);
  if (!isPrefixBits(bits)) return "skipped";
  if (hex.length * 4 < bits) fail(`/${bits} is longer than the address given`);
  const digits = bits / 4;
  if (/[^0]/.test(hex.slice(digits))) fail(`bits set beyond /${bits}`);
  return { bits, prefix: Number.parseInt(hex.slice(0, digits), 16), organisation };
}

export function parseManuf(text: string): ManufContents {
  const assignments: Assignment[] = [];
  let skipped = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "" || line.startsWith("#")) continue;
    const parsed = parseLine(line, i + 1);
    if (parsed === "skipped") skipped++;
    else assignments.push(parsed);
  }
  const ieeeLastModified = newestLastModified(text);
  return { assignments, skipped, ...(ieeeLastModified ? { ieeeLastModified } : {}) };
}
