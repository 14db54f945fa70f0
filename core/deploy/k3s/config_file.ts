// k3s's config file (/etc/rancher/k3s/config.yaml): one key per command-line flag, without its dashes.
// Written from ordered entries, with every string double-quoted (JSON's escapes are YAML's), so no value
// can be read back as another type or break the file. The same entries give the equivalent flags, which
// the plan shows as the node's effective invocation.

export type ConfigValue = string | true | string[];
export type ConfigEntry = [key: string, value: ConfigValue];

export function renderConfigYaml(entries: readonly ConfigEntry[], header: readonly string[] = []): string {
  const lines = header.map((line) => `# ${line}`);
  for (const [key, value] of entries) {
    if (value === true) lines.push(`${key}: true`);
    else if (typeof value === "string") lines.push(`${key}: ${JSON.stringify(value)}`);
    else {
      lines.push(`${key}:`);
      for (const item of value) lines.push(`  - ${JSON.stringify(item)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The command-line flags that say the same as `entries` (a list repeats its flag). */
export function flagsOf(entries: readonly ConfigEntry[]): string[] {
  const flags: string[] = [];
  for (const [key, value] of entries) {
    if (value === true) flags.push(`--${key}`);
    else for (const item of typeof value === "string" ? [value] : value) flags.push(`--${key}`, item);
  }
  return flags;
}
