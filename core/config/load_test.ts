import { assertEquals, assertThrows } from "../testing/assert.ts";
import { booleanFlag, ConfigError, enumFlag, hostPortFlag, integerFlag, stringFlag } from "./flags.ts";
import { envName, helpText, loadConfig } from "./load.ts";

const flags = {
  listen: hostPortFlag({
    name: "listen",
    description: "address",
    default: { hostname: "127.0.0.1", port: 8470 },
  }),
  dataDir: stringFlag({ name: "data-dir", description: "data", default: "/var/lib/ctpf" }),
  retries: integerFlag({ name: "retries", description: "tries", default: 3, min: 0, max: 10 }),
  verbose: booleanFlag({ name: "verbose", description: "talk", default: false }),
  mode: enumFlag({ name: "mode", description: "mode", default: "a", values: ["a", "b"] as const }),
};

function load(args: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  return loadConfig(flags, {
    binary: "necon",
    args,
    env,
    readFile: (path) => {
      if (!(path in files)) throw new Error(`ENOENT ${path}`);
      return files[path];
    },
  });
}

Deno.test("config: defaults when nothing is given", () => {
  const { values, sources } = load([]);
  assertEquals(values.listen, { hostname: "127.0.0.1", port: 8470 });
  assertEquals(values.retries, 3);
  assertEquals(values.verbose, false);
  assertEquals(sources.retries, "default");
});

Deno.test("config: flag beats env beats file beats default", () => {
  const files = { "/c.json": JSON.stringify({ retries: 5, mode: "b", "data-dir": "/file" }) };
  const env = { CTPF_NECON_RETRIES: "7", CTPF_NECON_CONFIG: "/c.json" };
  const { values, sources } = load(["--retries", "9"], env, files);
  assertEquals(values.retries, 9);
  assertEquals(sources.retries, "flag");
  assertEquals(values.mode, "b");
  assertEquals(sources.mode, "file");
  assertEquals(values.dataDir, "/file");
  const fromEnv = load([], env, files);
  assertEquals(fromEnv.values.retries, 7);
  assertEquals(fromEnv.sources.retries, "env");
});

Deno.test("config: env names follow CTPF_<BINARY>_<FLAG>", () => {
  assertEquals(envName("necon", "data-dir"), "CTPF_NECON_DATA_DIR");
  assertEquals(load([], { CTPF_NECON_VERBOSE: "yes" }).values.verbose, true);
  assertEquals(load(["--verbose"]).values.verbose, true);
});

Deno.test("config: host:port forms", () => {
  assertEquals(load(["--listen", "[::1]:0"]).values.listen, { hostname: "::1", port: 0 });
  assertEquals(load(["--listen", "0.0.0.0:67"]).values.listen, { hostname: "0.0.0.0", port: 67 });
});

Deno.test("config: invalid values give one-line reasons naming the culprit", () => {
  const cases: [string[], Record<string, string>, Record<string, string>, RegExp][] = [
    [["--retries", "11"], {}, {}, /--retries: 11 is outside 0\.\.10/],
    [["--retries", "x"], {}, {}, /--retries: "x" is not an integer/],
    [["--listen", "localhost"], {}, {}, /--listen: "localhost" is not host:port/],
    [["--listen", "1.2.3.4:70000"], {}, {}, /not host:port/],
    [["--mode", "c"], {}, {}, /--mode: "c" is not one of a, b/],
    [["--nope"], {}, {}, /nope/],
    [[], { CTPF_NECON_RETRIES: "-1" }, {}, /CTPF_NECON_RETRIES: --retries: -1 is outside/],
    [["--config", "/missing.json"], {}, {}, /config file \/missing\.json/],
    [["--config", "/c.json"], {}, { "/c.json": "{" }, /not JSON/],
    [["--config", "/c.json"], {}, { "/c.json": '{"colour":1}' }, /unknown key "colour"/],
    [["--config", "/c.json"], {}, { "/c.json": "[1]" }, /expected a JSON object/],
  ];
  for (const [args, env, files, message] of cases) {
    const error = assertThrows(() => load(args, env, files)) as Error;
    if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError for ${args}: ${error}`);
    if (!message.test(error.message)) throw new Error(`"${error.message}" does not match ${message}`);
    assertEquals(error.message.includes("\n"), false);
  }
});

Deno.test("config: --help lists every flag with its default", () => {
  const text = helpText("necon", "DHCP server", flags);
  for (const name of ["--listen", "--data-dir", "--retries", "--verbose", "--mode", "--config", "--help"]) {
    if (!text.includes(name)) throw new Error(`help misses ${name}`);
  }
  if (!text.includes("[default: 127.0.0.1:8470]") || !text.includes("[default: 3]")) {
    throw new Error(`help misses defaults:\n${text}`);
  }
});
