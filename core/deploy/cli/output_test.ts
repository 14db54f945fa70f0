import { assertEquals } from "../../testing/assert.ts";
import { LivePrinter } from "./output.ts";

function printer(options: { json?: boolean; quiet?: boolean; verbose?: boolean }) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const live = new LivePrinter(
    { json: false, quiet: false, verbose: false, ...options },
    { out: (text) => stdout.push(text), err: (text) => stderr.push(text) },
  );
  live.hosts(["a", "bastion-host"]);
  const lines = [
    "2026-12-04T23:00:01.123Z [via bastion] $ uname -m",
    "2026-12-04T23:00:01.200Z [via bastion]   exit 0 in 3 ms",
    "2026-12-04T23:00:02.000Z failed: a: command failed\n  stderr: no space left",
    "no stamp",
  ];
  for (const line of lines) live.onLog("a", line);
  live.note("mesh check: a 10.200.0.1");
  return { stdout, stderr };
}

Deno.test("live lines: host prefix aligned, commands only when verbose, every line of a message prefixed", () => {
  assertEquals(printer({}).stdout, [
    "a            | failed: a: command failed",
    "a            |   stderr: no space left",
    "a            | no stamp",
    "mesh check: a 10.200.0.1",
  ]);
  assertEquals(printer({ verbose: true }).stdout.slice(0, 2), [
    "a            | 23:00:01 [via bastion] $ uname -m",
    "a            | 23:00:01 [via bastion]   exit 0 in 3 ms",
  ]);
});

Deno.test("live lines: on stderr with --json, nowhere with --quiet", () => {
  const json = printer({ json: true });
  assertEquals([json.stdout.length, json.stderr.length], [0, 4]);
  const quiet = printer({ quiet: true });
  assertEquals([quiet.stdout.length, quiet.stderr.length], [0, 0]);
});
