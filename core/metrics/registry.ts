/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format (version 0.0.4). Services register their metrics once and update them on hot paths
 * without allocating per update beyond the first time a label set is seen.
 */
type Labels = Record<string, string>;

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
  render(lines: string[]): void;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class Registry {
  #metrics = new Map<string, Metric>();

  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return this.#register(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return this.#register(new Gauge(name, help, labelNames));
  }

  histogram(name: string, help: string, buckets: number[], labelNames: string[] = []): Histogram {
    return this.#register(new Histogram(name, help, buckets, labelNames));
  }

  /** Gauges whose value is read at scrape time (uptime, queue lengths, pool usage). */
  gaugeFunc(name: string, help: string, read: () => number): void {
    this.#register(new FuncMetric(name, help, "gauge", read));
  }

  /**
   * Gauges with labels whose values are counted at scrape time (nodes by state): `read` gives one value
   * per label set, so a series no longer counted disappears instead of keeping its last value.
   */
  labelledGaugeFunc(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Iterable<{ labels: Labels; value: number }>,
  ): void {
    this.#register(new LabelledFuncGauge(name, help, labelNames, read));
  }

  /** Counters kept elsewhere (e.g. by a hub), read at scrape time. */
  counterFunc(name: string, help: string, read: () => number): void {
    this.#register(new FuncMetric(name, help, "counter", read));
  }

  render(): string {
    const lines: string[] = [];
    for (const metric of this.#metrics.values()) {
      lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`);
      lines.push(`# TYPE ${metric.name} ${metric.type}`);
      metric.render(lines);
    }
    return lines.join("\n") + "\n";
  }

  #register<M extends Metric>(metric: M): M {
    if (!metricName.test(metric.name)) throw new RangeError(`metrics: invalid metric name ${metric.name}`);
    if (this.#metrics.has(metric.name)) throw new RangeError(`metrics: ${metric.name} registered twice`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }
}

abstract class Labelled<V> {
  protected series = new Map<string, { labels: string; value: V }>();

  constructor(readonly name: string, readonly help: string, protected readonly labelNames: string[]) {
    checkLabelNames(labelNames);
  }

  protected abstract initial(): V;

  protected cell(labels: Labels): { labels: string; value: V } {
    // Counted on every packet by some services: the key without an intermediate array.
    let key = "";
    for (let i = 0; i < this.labelNames.length; i++) {
      key += (i === 0 ? "" : "\x00") + (labels[this.labelNames[i]] ?? "");
    }
    let cell = this.series.get(key);
    if (!cell) {
      cell = { labels: formatLabels(this.labelNames, labels), value: this.initial() };
      this.series.set(key, cell);
    }
    return cell;
  }
}

export class Counter extends Labelled<{ n: number }> implements Metric {
  readonly type = "counter";
  protected initial() {
    return { n: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError(`metrics: counter ${this.name} cannot decrease`);
    this.cell(labels).value.n += by;
  }
  get(labels: Labels = {}): number {
    return this.cell(labels).value.n;
  }
  render(lines: string[]): void {
    if (this.series.size === 0 && this.labelNames.length === 0) this.cell({});
    for (const cell of this.series.values()) lines.push(`${this.name}${cell.labels} ${cell.value.n}`);
  }
}

export class Gauge extends Labelled<{ n: number }> implements Metric {
  readonly type = "gauge";
  protected initial() {
    return { n: 0 };
  }
  set(value: number, labels: Labels = {}): void {
    this.cell(labels).value.n = value;
  }
  add(by: number, labels: Labels = {}): void {
    this.cell(labels).value.n += by;
  }
  render(lines: string[]): void {
    if (this.series.size === 0 && this.labelNames.length === 0) this.cell({});
    for (const cell of this.series.values()) lines.push(`${this.name}${cell.labels} ${cell.value.n}`);
  }
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Labelled<HistogramState> implements Metric {
  readonly type = "histogram";
  private readonly buckets: number[];

  constructor(name: string, help: string, buckets: number[], labelNames: string[]) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }

  protected initial(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(value: number, labels: Labels = {}): void {
    const state = this.cell(labels).value;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) state.counts[i]++;
    state.sum += value;
    state.count++;
  }

  render(lines: string[]): void {
    for (const cell of this.series.values()) {
      const inner = cell.labels === "" ? "" : cell.labels.slice(1, -1) + ",";
      this.buckets.forEach((bound, i) =>
        lines.push(`${this.name}_bucket{${inner}le="${bound}"} ${cell.value.counts[i]}`)
      );
      lines.push(`${this.name}_bucket{${inner}le="+Inf"} ${cell.value.count}`);
      lines.push(`${this.name}_sum${cell.labels} ${cell.value.sum}`);
      lines.push(`${this.name}_count${cell.labels} ${cell.value.count}`);
    }
  }
}

class FuncMetric implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "gauge" | "counter",
    private readonly read: () => number,
  ) {}
  render(lines: string[]): void {
    lines.push(`${this.name} ${this.read()}`);
  }
}

class LabelledFuncGauge implements Metric {
  readonly type = "gauge";
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: string[],
    private readonly read: () => Iterable<{ labels: Labels; value: number }>,
  ) {
    checkLabelNames(labelNames);
  }
  render(lines: string[]): void {
    for (const { labels, value } of this.read()) {
      lines.push(`${this.name}${formatLabels(this.labelNames, labels)} ${value}`);
    }
  }
}

function checkLabelNames(names: string[]): void {
  for (const name of names) {
    if (!labelName.test(name)) throw new RangeError(`metrics: invalid label name ${name}`);
  }
}

function formatLabels(names: string[], labels: Labels): string {
  if (names.length === 0) return "";
  return "{" + names.map((name) => `${name}="${escapeLabel(labels[name] ?? "")}"`).join(",") + "}";
}

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
}

function escapeHelp(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}
