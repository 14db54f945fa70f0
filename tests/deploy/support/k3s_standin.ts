// The k3s stand-in (k3s_standin.sh) for tests: where it is, and what it records. A test installs it as
// the air-gap "binary" of an inventory; on a host (a directory root here, a booted Debian over SSH in the
// deployers' tests) its record is /var/lib/k3s-standin/<role>.json.

export const K3S_STANDIN = new URL("./k3s_standin.sh", import.meta.url).pathname;

/** The version it reports, and writes in its record, unless a copy is edited (an upgrade test). */
export const K3S_STANDIN_VERSION = "v1.31.4+k3s1";

export function standinRecordPath(role: "server" | "agent"): string {
  return `/var/lib/k3s-standin/${role}.json`;
}

/** Every `k3s kubectl ...` call, one JSON line each: { standin, argv }. */
export const STANDIN_KUBECTL_LOG = "/var/lib/k3s-standin/kubectl.jsonl";

/** One start of the stand-in: tokens appear only as SHA-256 hashes. */
export interface StandinRecord {
  standin: "k3s-standin";
  version: string;
  role: "server" | "agent";
  /** The stand-in's own PID: the unit's main process. */
  pid: number;
  /** Its arguments, from the subcommand on. */
  argv: string[];
  /** What k3s would run with: the subcommand, config.yaml's options as flags, then argv's flags. */
  effectiveArgs: string[];
  /** Its K3S_* environment (K3S_TOKEN as sha256:…). */
  env: Record<string, string>;
  configFile: string;
  /** The config file's text, or null when there was none. */
  config: string | null;
  tokenFile: string | null;
  /** The token file's mode in octal ("600"). */
  tokenFileMode: string | null;
  tokenSha256: string | null;
  /** Where the token came from: config, argv or env. */
  tokenSource: string | null;
  server: string | null;
  /** Why it refused to start, as k3s would have. */
  error: string | null;
}

/** A version of the stand-in reporting another k3s version, for upgrade tests. */
export async function standinWithVersion(version: string): Promise<string> {
  const text = await Deno.readTextFile(K3S_STANDIN);
  const line = `K3S_STANDIN_VERSION="${K3S_STANDIN_VERSION}"`;
  if (!text.includes(line)) throw new Error(`the stand-in no longer sets ${line}`);
  return text.replace(line, `K3S_STANDIN_VERSION="${version}"`);
}
