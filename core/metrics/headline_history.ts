/**
 * A number a service shows on the overview: a current value ("gauge": leases in use, links up) or a
 * running count of events ("counter": boots), read when sampled.
 */
export interface Headline {
  /** Stable identifier, e.g. "necon.leases_bound". */
  id: string;
  title: string;
  kind: "gauge" | "counter";
  read(): number;
}

export interface HeadlineSeries {
  id: string;
  service: string;
  title: string;
  /** A gauge's value now, or a counter's increase over the kept window. */
  value: number;
  window: "now" | "per hour";
  /** Oldest first; for counters, the increase in each interval. */
  history: { time: Date; value: number }[];
}

interface Track {
  service: string;
  headline: Headline;
  samples: { time: Date; value: number }[];
}

/**
 * Samples every service's headlines on a fixed period and keeps one hour of them in memory, so the
 * dashboard has charts the moment it opens instead of only from when the page was loaded. Bounded:
 * `keep` samples per headline, a few dozen headlines at most.
 */
export class HeadlineHistory {
  readonly sampleSeconds: number;
  readonly #keep: number;
  #tracks: Track[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: { sampleSeconds?: number; keep?: number } = {}) {
    this.sampleSeconds = options.sampleSeconds ?? 15;
    this.#keep = options.keep ?? Math.ceil(3600 / this.sampleSeconds) + 1;
  }

  add(service: string, headlines: Headline[]): void {
    for (const headline of headlines) this.#tracks.push({ service, headline, samples: [] });
  }

  start(): void {
    this.sample();
    const timer = setInterval(() => this.sample(), this.sampleSeconds * 1000);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Takes one sample of every headline now (the timer calls it; tests may too). */
  sample(time = new Date()): void {
    for (const track of this.#tracks) {
      const value = safeRead(track.headline);
      if (value === undefined) continue;
      track.samples.push({ time, value });
      if (track.samples.length > this.#keep) track.samples.shift();
    }
  }

  series(): HeadlineSeries[] {
    return this.#tracks.map(({ service, headline, samples }) => {
      const base = { id: headline.id, service, title: headline.title };
      const now = safeRead(headline) ?? samples.at(-1)?.value ?? 0;
      if (headline.kind === "gauge") return { ...base, value: now, window: "now", history: samples };
      const history = samples.slice(1).map((sample, i) => ({
        time: sample.time,
        value: Math.max(0, sample.value - samples[i].value),
      }));
      return { ...base, value: Math.max(0, now - (samples[0]?.value ?? now)), window: "per hour", history };
    });
  }
}

/** A headline that throws (its source is restarting) is skipped for this sample, not fatal to the rest. */
function safeRead(headline: Headline): number | undefined {
  try {
    const value = headline.read();
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
