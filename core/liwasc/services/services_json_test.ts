import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { buildServicesData, formatServicesJson } from "./services_json.ts";
import { parseServicesFile } from "./services_file.ts";

const source = { file: "/test/services", sha256: "0".repeat(64) };

Deno.test("services json: one row per port when tcp and udp agree, one per protocol otherwise", () => {
  const entries = parseServicesFile(
    "ssh\t22/tcp/udp\t# SSH\noob-ws-http\t623/tcp\t# web\nasf-rmcp\t623/udp\t# RMCP\nntp\t123/udp\t# NTP\n",
  );
  assertEquals(buildServicesData(entries, source).ports, [
    [22, 3, "ssh", "SSH"],
    [123, 2, "ntp", "NTP"],
    [623, 1, "oob-ws-http", "web"],
    [623, 2, "asf-rmcp", "RMCP"],
  ]);
});

Deno.test("services json: the first name is primary; later names and aliases follow it once each", () => {
  const entries = parseServicesFile(
    "smtp\t25/tcp\tmail\nsmtp\t25/udp\tmail\nmta\t25/tcp\tmail smtp\nurd\t465/tcp\t# URL Rendezvous\nsubmissions\t465/tcp\t# TLS\n",
  );
  assertEquals(buildServicesData(entries, source).ports, [
    [25, 1, "smtp", "", "mail", "mta"],
    [25, 2, "smtp", "", "mail"],
    [465, 1, "urd", "URL Rendezvous", "submissions"],
  ]);
});

Deno.test("services json: the text is valid JSON, row per line, long rows an element per line", () => {
  const long = "a description long enough that the row would run past eighty columns on one line";
  const data = buildServicesData(parseServicesFile(`ssh\t22/tcp\t# SSH\nlong\t7/udp\t# ${long}\n`), source);
  const text = formatServicesJson(data);
  assertEquals(JSON.parse(text), data);
  assert(text.includes('\n    [22, 1, "ssh", "SSH"]\n'), "a short row on one line");
  assert(text.includes('\n    [\n      7,\n      2,\n      "long",\n'), "a long row an element per line");
  assert(text.endsWith("}\n"));
});

Deno.test("services json: an empty table stays valid and format-clean", () => {
  const text = formatServicesJson(buildServicesData([], source));
  assertEquals(JSON.parse(text).ports, []);
  assertMatch(text, /"ports": \[\]\n\}\n$/);
});
