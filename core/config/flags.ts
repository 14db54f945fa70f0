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
    parse(raw) {
      const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(raw);
      const port = match ? Number(match[3]) : NaN;
      if (!match || port > 65535) {
        throw new ConfigError(`--${spec.name}: "${raw}" is not host:port (e.g. 127.0.0.1:8470)`);
      }
      return { hostname: match[1] ?? match[2], port };
    },
  };
}

export function formatHostPort({ hostname, port }: HostPort): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}
