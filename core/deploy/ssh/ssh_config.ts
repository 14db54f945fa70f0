// Host entries from an ~/.ssh/config-style file: Host blocks with patterns (*, ?, !negation) and the
// keywords the deployers use (HostName, User, Port, IdentityFile, ProxyJump, ProxyCommand,
// ConnectTimeout). As in ssh, the first value found for a keyword wins, except IdentityFile, which adds
// up. Other keywords (and Match blocks) are ignored, not errors: a user's real config has many.
import { join } from "node:path";
import { type HostSpec, parseDestination } from "./host.ts";

interface Block {
  patterns: string[];
  options: [keyword: string, value: string][];
}

export class SshConfig {
  readonly #blocks: Block[];
  readonly #home: string;

  constructor(text: string, home = Deno.env.get("HOME") ?? "/root") {
    this.#blocks = parseBlocks(text);
    this.#home = home;
  }

  static async load(path: string): Promise<SshConfig> {
    return new SshConfig(await Deno.readTextFile(path));
  }

  /** The host `alias` resolves to, with its jump host resolved through the same file. */
  resolve(alias: string, depth = 0): HostSpec {
    if (depth > 4) throw new Error(`ProxyJump chain from ${alias} is longer than 4 hosts`);
    const found = new Map<string, string>();
    const identityFiles: string[] = [];
    for (const block of this.#blocks) {
      if (!matchesPatterns(block.patterns, alias)) continue;
      for (const [keyword, value] of block.options) {
        if (keyword === "identityfile") identityFiles.push(this.#expand(value, alias));
        else if (!found.has(keyword)) found.set(keyword, value);
      }
    }
    const spec: HostSpec = { name: alias, address: (found.get("hostname") ?? alias).replaceAll("%h", alias) };
    if (found.has("user")) spec.user = found.get("user");
    if (found.has("port")) spec.port = Number(found.get("port"));
    if (identityFiles.length > 0) spec.identityFiles = identityFiles;
    if (found.has("connecttimeout")) spec.connectTimeoutMs = Number(found.get("connecttimeout")) * 1000;
    const proxyCommand = found.get("proxycommand");
    if (proxyCommand && proxyCommand.toLowerCase() !== "none") spec.proxyCommand = proxyCommand;
    const proxyJump = found.get("proxyjump");
    if (proxyJump && proxyJump.toLowerCase() !== "none") {
      // A list "a,b" means a first, then b: the last one is this host's own jump, reached through the rest.
      const hops = proxyJump.split(",");
      let jump: HostSpec | undefined;
      for (const hop of hops) {
        const destination = parseDestination(hop);
        const hopSpec = this.resolve(destination.address, depth + 1);
        if (destination.user) hopSpec.user = destination.user;
        if (destination.port) hopSpec.port = destination.port;
        if (jump) hopSpec.jump = jump;
        jump = hopSpec;
      }
      spec.jump = jump;
    }
    return spec;
  }

  #expand(path: string, alias: string): string {
    const expanded = path.replaceAll("%d", this.#home).replaceAll("%h", alias);
    return expanded.startsWith("~/") ? join(this.#home, expanded.slice(2)) : expanded;
  }
}

function parseBlocks(text: string): Block[] {
  // Options before any Host line apply to every host.
  const blocks: Block[] = [{ patterns: ["*"], options: [] }];
  let ignoring = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = line.match(/^(\S+?)(?:\s*=\s*|\s+)(.*)$/);
    if (!match) continue;
    const keyword = match[1].toLowerCase();
    const value = unquote(match[2].trim());
    if (keyword === "host") {
      blocks.push({ patterns: value.split(/\s+/), options: [] });
      ignoring = false;
    } else if (keyword === "match") {
      ignoring = true;
    } else if (!ignoring) {
      blocks[blocks.length - 1].options.push([keyword, value]);
    }
  }
  return blocks;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** ssh's rule: some positive pattern matches and no negated one does. */
function matchesPatterns(patterns: string[], alias: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) {
      if (globToRegExp(pattern.slice(1)).test(alias)) return false;
    } else if (globToRegExp(pattern).test(alias)) {
      matched = true;
    }
  }
  return matched;
}
