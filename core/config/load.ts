import { parseArgs } from "node:util";
import { ConfigError, type Flag } from "./flags.ts";

export type FlagValues<F extends Record<string, Flag<unknown>>> = {
  [K in keyof F]: F[K] extends Flag<infer T> ? T : never;
};

export interface LoadedConfig<F extends Record<string, Flag<unknown>>> {
  values: FlagValues<F>;
  /** Where each value came from, for the start-up log. */
  sources: Record<keyof F, "flag" | "env" | "file" | "default">;
  /** Arguments after the flags (subcommands). */
  positionals: string[];
}

export interface LoadOptions {
  binary: string;
  args: string[];
  env: Record<string, string>;
  readFile?: (path: string) => string;
}

/** `CTPF_<BINARY>_<FLAG>` with dashes as underscores, upper case: CTPF_NECON_LISTEN. */
export function envName(binary: string, flag: string): string {
  return `CTPF_${binary}_${flag}`.replaceAll("-", "_").toUpperCase();
}

/**
 * Resolves every flag from, in order of precedence: the command line, the environment, the JSON config
 * file (--config or CTPF_<BINARY>_CONFIG, keys are flag names), the default. Unknown flags, unknown file
 * keys and invalid values throw a ConfigError naming the culprit.
 */
export function loadConfig<F extends Record<string, Flag<unknown>>>(
  flags: F,
  options: LoadOptions,
): LoadedConfig<F> {
  const parseOptions: Record<string, { type: "string" | "boolean" }> = { config: { type: "string" } };
  for (const flag of Object.values(flags)) {
    parseOptions[flag.name] = { type: flag.boolean ? "boolean" : "string" };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: options.args, options: parseOptions, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError((error as Error).message.split("\n")[0]);
  }
  const cli = parsed.values as Record<string, string | boolean | undefined>;
  const configPath = (cli.config as string | undefined) ?? options.env[envName(options.binary, "config")];
  const file = configPath === undefined ? {} : readConfigFile(configPath, flags, options.readFile);

  const values: Record<string, unknown> = {};
  const sources: Record<string, "flag" | "env" | "file" | "default"> = {};
  for (const [key, flag] of Object.entries(flags)) {
    const fromCli = cli[flag.name];
    const fromEnv = options.env[envName(options.binary, flag.name)];
    const fromFile = file[flag.name];
    if (fromCli !== undefined) {
      values[key] = typeof fromCli === "boolean" ? fromCli : flag.parse(fromCli);
      sources[key] = "flag";
    } else if (fromEnv !== undefined) {
      values[key] = withSource(() => flag.parse(fromEnv), `${envName(options.binary, flag.name)}`);
      sources[key] = "env";
    } else if (fromFile !== undefined) {
      values[key] = withSource(() => flag.parse(String(fromFile)), configPath as string);
      sources[key] = "file";
    } else {
      values[key] = flag.default;
      sources[key] = "default";
    }
  }
  return {
    values: values as FlagValues<F>,
    sources: sources as Record<keyof F, "flag" | "env" | "file" | "default">,
    positionals: parsed.positionals,
  };
}

function withSource<T>(parse: () => T, source: string): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${source}: ${error.message}`);
    throw error;
  }
}

function readConfigFile(
  path: string,
  flags: Record<string, Flag<unknown>>,
  readFile = (p: string) => Deno.readTextFileSync(p),
): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path}: not JSON: ${(error as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(`config file ${path}: expected a JSON object of flag names to values`);
  }
  const known = new Set(Object.values(flags).map((flag) => flag.name));
  for (const [key, value] of Object.entries(data)) {
    if (!known.has(key)) throw new ConfigError(`config file ${path}: unknown key "${key}"`);
    if (typeof value === "object" && value !== null) {
      throw new ConfigError(`config file ${path}: "${key}" must be a string, number or boolean`);
    }
  }
  return data as Record<string, unknown>;
}

/** The --help text: usage, then every flag with its env variable and default. */
export function helpText(
  binary: string,
  summary: string,
  flags: Record<string, Flag<unknown>>,
  commands: Record<string, string> = {},
): string {
  const lines = [
    `${binary} — ${summary}`,
    "",
    `Usage: ${binary} [flags]${Object.keys(commands).length ? " [command]" : ""}`,
  ];
  if (Object.keys(commands).length) {
    lines.push("", "Commands:");
    for (const [name, text] of Object.entries(commands)) lines.push(`  ${name.padEnd(22)} ${text}`);
  }
  lines.push(
    "",
    "Flags (also settable as env CTPF_" + binary.toUpperCase() + "_<FLAG> or in the --config JSON file):",
  );
  const all = [
    ...Object.values(flags),
    { name: "config", description: "JSON file of flag values", default: "", defaultText: "none" },
  ];
  for (const flag of all) {
    const shown = flag.defaultText ?? JSON.stringify(flag.default);
    const name = "boolean" in flag && flag.boolean ? `--${flag.name}` : `--${flag.name} <value>`;
    lines.push(`  ${name.padEnd(28)} ${flag.description} [default: ${shown}]`);
  }
  lines.push(`  ${"--version".padEnd(28)} print the version and exit`);
  lines.push(`  ${"--help".padEnd(28)} show this help`);
  return lines.join("\n");
}
