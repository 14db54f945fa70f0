import { assertEquals } from "../testing/assert.ts";
import { formatJson, formatLogfmt, type LogRecord, LogSink } from "./logger.ts";

const record: LogRecord = {
  seq: 1,
  time: new Date("2026-01-02T03:04:05.006Z"),
  level: "warn",
  component: "necon",
  message: "pool full",
  fields: { subnet: "10.0.0.0/24", note: 'say "hi"', empty: "" },
};

Deno.test("log: logfmt quotes what needs quoting", () => {
  assertEquals(
    formatLogfmt(record),
    'time=2026-01-02T03:04:05.006Z level=warn component=necon msg="pool full" subnet=10.0.0.0/24 ' +
      'note="say \\"hi\\"" empty=""',
  );
});

Deno.test("log: json lines carry the same record", () => {
  assertEquals(JSON.parse(formatJson(record)), {
    time: "2026-01-02T03:04:05.006Z",
    level: "warn",
    component: "necon",
    msg: "pool full",
    subnet: "10.0.0.0/24",
    note: 'say "hi"',
    empty: "",
  });
});

Deno.test("log: levels below the minimum are neither written nor streamed", () => {
  const lines: string[] = [];
  const sink = new LogSink({ level: "info", format: "json", write: (line) => lines.push(line) });
  const log = sink.logger("api").child("auth");
  log.debug("hidden");
  log.info("shown", { user: "alice", count: 2, skipped: undefined });
  assertEquals(lines.length, 1);
  assertEquals(JSON.parse(lines[0]).component, "api.auth");
  assertEquals(JSON.parse(lines[0]).count, "2");
  assertEquals("skipped" in JSON.parse(lines[0]), false);
});
