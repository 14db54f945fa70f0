// The IEEE Registration Authority's CSV exports, as Debian's ieee-data ships them:
//   Registry,Assignment,Organization Name,Organization Address
//   MA-L,00000C,"Cisco Systems, Inc",170 WEST TASMAN DRIVE SAN JOSE CA US 95134
// The assignment's hex length gives the block size: 6 digits MA-L (and CID), 7 MA-M, 9 MA-S and IAB.
import { type Assignment, isPrefixBits } from "../prefix.ts";
import { parseCsv } from "./csv.ts";

export interface IeeeCsvContents {
  assignments: Assignment[];
  /** Rows without an organisation name, which name no one. */
  skipped: number;
}

export function parseIeeeCsv(text: string, file: string): IeeeCsvContents {
  const [header, ...rows] = parseCsv(text);
  const column = (name: string) => {
    const index = header?.findIndex((field) => field.trim().toLowerCase() === name.toLowerCase()) ?? -1;
    if (index < 0) throw new SyntaxError(`${file}: no "${name}" column in the header`);
    return index;
  };
  const assignmentColumn = column("Assignment");
  const nameColumn = column("Organization Name");
  const assignments: Assignment[] = [];
  let skipped = 0;
  rows.forEach((row, index) => {
    const hex = (row[assignmentColumn] ?? "").trim();
    const bits = hex.length * 4;
    if (!/^[0-9a-f]+$/i.test(hex) || !isPrefixBits(bits)) {
      throw new SyntaxError(`${file} record ${index + 2}: unreadable assignment ${JSON.stringify(hex)}`);
    }
    const organisation = (row[nameColumn] ?? "").trim().replace(/\s+/g, " ");
    if (organisation === "") skipped++;
    else assignments.push({ bits, prefix: Number.parseInt(hex, 16), organisation });
  });
  return { assignments, skipped };
}
