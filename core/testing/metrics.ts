/**
 * Reads Prometheus text (a registry's render, or a binary's /metrics) the way tests need it: the family
 * names, and the value of a series picked by name and some of its labels.
 */
export class MetricsText {
  readonly #samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  /** Every family, from its `# TYPE` line, with its type. */
  readonly families = new Map<string, string>();

  constructor(text: string) {
    for (const line of text.split("\n")) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) this.families.set(type[1], type[2]);
      if (line === "" || line.startsWith("#")) continue;
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!sample) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (
        const [, name, value] of (sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)
      ) {
        labels[name] = value.replace(/\\(.)/g, (_, c: string) => c === "n" ? "\n" : c);
      }
      this.#samples.push({ name: sample[1], labels, value: Number(sample[3]) });
    }
  }

  /** The sum over the series of `name` whose labels include `labels` (0 when there is none yet). */
  value(name: string, labels: Record<string, string> = {}): number {
    let sum = 0;
    for (const sample of this.#samples) {
      if (sample.name !== name) continue;
      if (Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) sum += sample.value;
    }
    return sum;
  }
}

/** A running binary's /metrics, read with its admin token. */
export async function scrapeMetrics(binary: { url: string; adminToken: string }): Promise<MetricsText> {
  const response = await fetch(`${binary.url}/metrics`, {
    headers: { authorization: `Bearer ${binary.adminToken}` },
  });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return new MetricsText(await response.text());
}
