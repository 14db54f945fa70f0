// Checks that a binary's stderr is a log a machine can read: one record per line, every line in the
// format asked for (a stray runtime warning or a hand-written console line fails it).
import { assert } from "./assert.ts";

// key=value pairs as core/log/logger.ts writes them: a bare value, or a JSON-quoted string.
const logfmtLine =
  /^[^\s="]+=(?:"(?:[^"\\]|\\.)*"|[^\s"=\\]+)(?: [^\s="]+=(?:"(?:[^"\\]|\\.)*"|[^\s"=\\]+))*$/;

/** Fails with the offending line unless every line of `output` is a JSON object or a logfmt record. */
export function assertLogLines(output: string, format: "json" | "logfmt"): void {
  const lines = output.split("\n").filter((line) => line !== "");
  assert(lines.length > 0, "no log lines at all");
  for (const line of lines) {
    assert(format === "json" ? isJsonRecord(line) : logfmtLine.test(line), `not a ${format} record: ${line}`);
  }
}

function isJsonRecord(line: string): boolean {
  try {
    const record = JSON.parse(line);
    return typeof record === "object" && record !== null && typeof record.msg === "string";
  } catch {
    return false;
  }
}
