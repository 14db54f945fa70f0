/**
 * Typed flag definitions shared by every binary. A flag parses its raw text or throws a `ConfigError`
 * whose message is the one line the operator sees.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface Flag<T> {
  name: string;
  description: string;
  default: T;
  /** Shown in --help instead of the default's text (e.g. for a path computed at run time). */
  defaultText?: string;
  /** Boolean flags take no value on the command line. */
  boolean?: true;
  parse(raw: string): T;
}

type Spec<T> = Omit<Flag<T>, "parse" | "boolean">;

export function stringFlag(spec: Spec<string> & { allowEmpty?: boolean }): Flag<string> {
  return {
    ...spec,
    parse(raw) {
      if (raw === "" && !spec.allowEmpty) throw new ConfigError(`--${spec.name} must not be empty`);
      return raw;
    },
  };
}

export function booleanFlag(spec: Spec<boolean>): Flag<boolean> {
  return {
    ...spec,
    boolean: true,
    parse(raw) {
      const value = raw.toLowerCase();
      if (["1", "true", "yes", "on"].includes(value)) return true;
      if (["0", "false", "no", "off"].includes(value)) return false;
      throw new ConfigError(`--${spec.name}: "${raw}" is not a boolean (true/false)`);
    },
  };
}

export function integerFlag(spec: Spec<number> & { min: number; max: number }): Flag<number> {
  return {
    ...spec,
    parse(raw) {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`--${spec.name}: "${raw}" is not an integer`);
      const value = Number(raw);
      if (value < spec.min || value > spec.max) {
        throw new ConfigError(`--${spec.name}: ${value} is outside ${spec.min}..${spec.max}`);
      }
      return value;
    },
  };
}

export function enumFlag<T extends string>(spec: Spec<T> & { values: readonly T[] }): Flag<T> {
  return {
    ...spec,
    description: `${spec.description} (${spec.values.join("|")})`,
    parse(raw) {
      if (!(spec.values as readonly string[]).includes(raw)) {
        throw new ConfigError(`--${spec.name}: "${raw}" is not one of ${spec.values.join(", ")}`);
      }
      return raw as T;
    },
  };
}

export interface HostPort {
  hostname: string;
  port: number;
}

/** host:port, [v6]:port; port 0 asks the kernel for a free port (tests use it). */
export function hostPortFlag(spec: Spec<HostPort>): Flag<HostPort> {
  return {
    ...spec,
    defaultText: spec.defaultText ?? formatHostPort(spec.default),
    parse: (raw) => parseHostPort(spec.name, raw),
  };
}

/**
 * An address the service may or may not listen on: host:port as {@link hostPortFlag}, or empty for
 * "off" (undefined). `ipv4` also requires the host to be a dotted IPv4 address (sockets bound by FFI).
 */
export function optionalHostPortFlag(
  spec: Omit<Spec<HostPort | undefined>, "default"> & { default?: HostPort; ipv4?: true },
): Flag<HostPort | undefined> {
  const { ipv4, ...rest } = spec;
  return {
    ...rest,
    default: spec.default,
    defaultText: spec.defaultText ?? (spec.default ? formatHostPort(spec.default) : "off"),
    parse(raw) {
      if (raw === "") return undefined;
      return ipv4 ? parseIpv4Port(spec.name, raw) : parseHostPort(spec.name, raw);
    },
  };
}

/** A comma-separated list; blanks around items and empty items are dropped ("a, b,," is [a, b]). */
export function listFlag(spec: Omit<Spec<string[]>, "default"> & { default?: string[] }): Flag<string[]> {
  return { ...spec, default: spec.default ?? [], parse: splitList };
}

/** A comma-separated list of host:port, each checked as {@link hostPortFlag} does. */
export function hostPortListFlag(
  spec: Omit<Spec<HostPort[]>, "default"> & { default?: HostPort[] },
): Flag<HostPort[]> {
  return {
    ...spec,
    default: spec.default ?? [],
    parse: (raw) => splitList(raw).map((item) => parseHostPort(spec.name, item)),
  };
}

function splitList(raw: string): string[] {
  return raw.split(",").map((item) => item.trim()).filter(Boolean);
}

function parseHostPort(flag: string, raw: string): HostPort {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(raw);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new ConfigError(`--${flag}: "${raw}" is not host:port (e.g. 127.0.0.1:8470)`);
  }
  return { hostname: match[1] ?? match[2], port };
}

function parseIpv4Port(flag: string, raw: string): HostPort {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(raw);
  if (!match || Number(match[2]) > 65535) throw new ConfigError(`--${flag}: "${raw}" is not IPv4:port`);
  return { hostname: match[1], port: Number(match[2]) };
}

export function formatHostPort({ hostname, port }: HostPort): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}

/** Flag tables keyed by the name services read their values by. */
export type FlagSet = Record<string, Flag<unknown>>;

type Merged<S extends FlagSet[]> = (S[number] extends infer U ? (U extends unknown ? (x: U) => void : never)
  : never) extends (x: infer I) => void ? I : never;

/**
 * Joins the flag tables of the services one binary hosts. A key or a --name declared by two tables is a
 * programming error that must stop the binary at start-up, not let one service read another's value.
 */
export function mergeFlags<S extends FlagSet[]>(...sets: S): Merged<S> {
  const merged: FlagSet = {};
  const byName = new Map<string, string>();
  for (const set of sets) {
    for (const [key, flag] of Object.entries(set)) {
      if (key in merged) throw new Error(`flag table: "${key}" is declared twice`);
      const other = byName.get(flag.name);
      if (other !== undefined) {
        throw new Error(`flag table: --${flag.name} is declared twice (as "${other}" and "${key}")`);
      }
      merged[key] = flag;
      byName.set(flag.name, key);
    }
  }
  return merged as Merged<S>;
}
