import { assertEquals, assertMatch, assertThrows } from "../../testing/assert.ts";
import { parseServicesFile, ServicesFileError } from "./services_file.ts";

Deno.test("services file: Wireshark's merged protocols and ranges expand; sctp and dccp are dropped", () => {
  const text = [
    "# header comment",
    "",
    "tcpmux\t\t1/tcp/udp\t# TCP Port Service Multiplexer",
    "discard\t\t9/tcp/udp/sctp/dccp\t# Discard",
    "sctp-only\t\t10/sctp\t# Not for us",
    "ident\t\t113/tcp",
    "x11\t\t6000-6001/tcp\t# X Window System",
  ].join("\n");
  assertEquals(parseServicesFile(text), [
    { port: 1, protocol: "tcp", name: "tcpmux", description: "TCP Port Service Multiplexer", aliases: [] },
    { port: 1, protocol: "udp", name: "tcpmux", description: "TCP Port Service Multiplexer", aliases: [] },
    { port: 9, protocol: "tcp", name: "discard", description: "Discard", aliases: [] },
    { port: 9, protocol: "udp", name: "discard", description: "Discard", aliases: [] },
    { port: 113, protocol: "tcp", name: "ident", description: "", aliases: [] },
    { port: 6000, protocol: "tcp", name: "x11", description: "X Window System", aliases: [] },
    { port: 6001, protocol: "tcp", name: "x11", description: "X Window System", aliases: [] },
  ]);
});

Deno.test("services file: /etc/services aliases and comments", () => {
  const text = "smtp\t\t25/tcp\t\tmail\nssh\t\t22/tcp\t\t\t\t# SSH Remote Login Protocol\n";
  assertEquals(parseServicesFile(text), [
    { port: 25, protocol: "tcp", name: "smtp", description: "", aliases: ["mail"] },
    { port: 22, protocol: "tcp", name: "ssh", description: "SSH Remote Login Protocol", aliases: [] },
  ]);
});

Deno.test("services file: malformed lines are errors naming the line", () => {
  for (
    const [line, pattern] of [
      ["lonely-name", /line 2: expected/],
      ["bad\t22", /line 2: expected/],
      ["bad\ttcp/22", /line 2: expected/],
      ["bad\t70000/tcp", /line 2: bad port 70000\/tcp/],
      ["bad\t20-10/udp", /line 2: bad port 20-10\/udp/],
    ] as const
  ) {
    const error = assertThrows(() => parseServicesFile(`# header\n${line}\n`), ServicesFileError);
    assertMatch(error.message, pattern);
  }
});
