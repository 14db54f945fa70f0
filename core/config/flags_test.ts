import { assertEquals, assertThrows } from "../testing/assert.ts";
import { bofiedFlags } from "../bofied/module.ts";
import { buildersFlags } from "../builders/module.ts";
import { gloethFlags } from "../gloeth/module.ts";
import { liwascFlags } from "../liwasc/module.ts";
import { neconFlags } from "../necon/module.ts";
import { nodinFlags } from "../nodin/module.ts";
import { nodinRemoteFlags } from "../nodin/remote_flags.ts";
import { commonFlags } from "../runtime/common_flags.ts";
import {
  ConfigError,
  hostPortListFlag,
  integerFlag,
  listFlag,
  mergeFlags,
  optionalHostPortFlag,
  stringFlag,
} from "./flags.ts";
import { helpText, loadConfig } from "./load.ts";

function rejects(parse: () => unknown, message: RegExp): void {
  const error = assertThrows(parse) as Error;
  if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${error}`);
  if (!message.test(error.message)) throw new Error(`"${error.message}" does not match ${message}`);
}

Deno.test("flags: an optional host:port is off when empty, parsed once otherwise", () => {
  const flag = optionalHostPortFlag({ name: "tftp-listen", description: "tftp", defaultText: "off" });
  assertEquals(flag.default, undefined);
  assertEquals(flag.parse(""), undefined);
  assertEquals(flag.parse("0.0.0.0:69"), { hostname: "0.0.0.0", port: 69 });
  assertEquals(flag.parse("[::1]:69"), { hostname: "::1", port: 69 });
  rejects(() => flag.parse("0.0.0.0"), /^--tftp-listen: "0\.0\.0\.0" is not host:port/);
  rejects(() => flag.parse("1.2.3.4:65536"), /not host:port/);
  const ipv4 = optionalHostPortFlag({ name: "tftp-listen", description: "tftp", ipv4: true });
  assertEquals(ipv4.parse("127.0.0.1:0"), { hostname: "127.0.0.1", port: 0 });
  rejects(() => ipv4.parse("localhost:69"), /^--tftp-listen: "localhost:69" is not IPv4:port$/);
  rejects(() => ipv4.parse("[::1]:69"), /is not IPv4:port/);
  const withDefault = optionalHostPortFlag({
    name: "link-listen",
    description: "links",
    default: { hostname: "0.0.0.0", port: 655 },
  });
  assertEquals(withDefault.default, { hostname: "0.0.0.0", port: 655 });
  assertEquals(withDefault.defaultText, "0.0.0.0:655");
  assertEquals(withDefault.parse(""), undefined);
});

Deno.test("flags: comma lists drop blanks; host:port lists check every item", () => {
  const names = listFlag({ name: "scan-interfaces", description: "ifaces" });
  assertEquals(names.default, []);
  assertEquals(names.parse(""), []);
  assertEquals(names.parse(" eth0, ,wlan0,, "), ["eth0", "wlan0"]);
  const peers = hostPortListFlag({ name: "peers", description: "peers" });
  assertEquals(peers.parse(""), []);
  assertEquals(peers.parse("10.0.0.1:655, [fd00::1]:655"), [
    { hostname: "10.0.0.1", port: 655 },
    { hostname: "fd00::1", port: 655 },
  ]);
  rejects(() => peers.parse("10.0.0.1:655,10.0.0.2"), /^--peers: "10\.0\.0\.2" is not host:port/);
});

Deno.test("flags: typed values come out of loadConfig from every source", () => {
  const flags = {
    peers: hostPortListFlag({ name: "peers", description: "peers" }),
    tftpListen: optionalHostPortFlag({ name: "tftp-listen", description: "tftp", ipv4: true }),
  };
  const load = (args: string[], env: Record<string, string> = {}) =>
    loadConfig(flags, { binary: "gloeth", args, env }).values;
  assertEquals(load([]), { peers: [], tftpListen: undefined });
  assertEquals(load(["--peers", "a:1,b:2"]).peers, [{ hostname: "a", port: 1 }, { hostname: "b", port: 2 }]);
  assertEquals(load([], { CTPF_GLOETH_TFTP_LISTEN: "10.0.0.1:69" }).tftpListen, {
    hostname: "10.0.0.1",
    port: 69,
  });
  rejects(() => load([], { CTPF_GLOETH_PEERS: "x" }), /^CTPF_GLOETH_PEERS: --peers: "x" is not host:port/);
});

Deno.test("flags: mergeFlags joins tables and refuses a flag declared twice", () => {
  const a = { dataDir: stringFlag({ name: "data-dir", description: "a", default: "" }) };
  const b = { retries: integerFlag({ name: "retries", description: "b", default: 1, min: 0, max: 9 }) };
  const merged = mergeFlags(a, b);
  assertEquals(Object.keys(merged), ["dataDir", "retries"]);
  assertEquals(merged.retries.default, 1);
  // The same key: object spread would silently keep the second one.
  const sameKey = { retries: integerFlag({ name: "tries", description: "c", default: 5, min: 0, max: 9 }) };
  const error = assertThrows(() => mergeFlags(a, b, sameKey)) as Error;
  assertEquals(error.message, 'flag table: "retries" is declared twice');
  // Another key, the same command-line name: one --retries would feed both.
  const sameName = { tries: integerFlag({ name: "retries", description: "d", default: 5, min: 0, max: 9 }) };
  const named = assertThrows(() => mergeFlags(a, b, sameName)) as Error;
  assertEquals(named.message, 'flag table: --retries is declared twice (as "retries" and "tries")');
});

Deno.test("flags: the services' tables and the common flags do not collide", () => {
  const common = commonFlags({ listen: { hostname: "127.0.0.1", port: 8470 }, dataDir: "/d" });
  const all = mergeFlags(
    neconFlags,
    bofiedFlags,
    liwascFlags,
    gloethFlags,
    nodinFlags,
    nodinRemoteFlags,
    buildersFlags,
    common,
  );
  const help = helpText("ctpf", "all", all);
  // Empty "off" defaults keep their words in --help.
  if (!help.includes("--tftp-listen <value>") || !help.includes("[default: off]")) {
    throw new Error(`help lost --tftp-listen's default:\n${help}`);
  }
  if (!help.includes('[default: "0.0.0.0:655"]')) throw new Error(`help lost --link-listen's default`);
  const listenTwice = { listen: stringFlag({ name: "listen-here", description: "x", default: "" }) };
  assertThrows(() => mergeFlags(neconFlags, listenTwice, common));
});
