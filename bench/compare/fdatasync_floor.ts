// The disk's share of necon's light-load REQUEST→ACK (issue 17): necon makes each lease durable with one
// fdatasync of its WAL before the ACK (a lone client is flushed inline, no group to wait for). What one
// fdatasync of a freshly written 4 KiB page costs depends on how often it comes: back to back the disk
// is busy and fast, while at the light load of necon_vs_kea (20 exchanges/s) each flush finds it idle.
// Same directory kind as necon_vs_kea (a temp dir on the root file system); several passes, alternating.
import { closeQuietly, openForReading } from "../../core/sys/mod.ts";
import { syncData } from "../../core/sys/sync_data.ts";
import { medianRange } from "./tftp/stats.ts";

const passes = Number(Deno.env.get("CTPF_BENCH_FSYNC_PASSES") ?? 5);
const flushesPerPass = 60;
const pausesMs = [0, 5, 50]; // back to back; 200/s; necon_vs_kea's light load, 20/s

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function onePass(path: string, pauseMs: number): Promise<number[]> {
  const file = await Deno.open(path, { write: true, create: true, mode: 0o600 });
  const opened = openForReading(path); // necon flushes the WAL through its own descriptor the same way
  if ("errno" in opened) throw new Error(`cannot open ${path} (errno ${opened.errno})`);
  const page = new Uint8Array(4096).fill(0x5a);
  const times: number[] = [];
  try {
    for (let i = 0; i < flushesPerPass; i++) {
      await file.seek((i % 16) * page.length, Deno.SeekMode.Start);
      await file.write(page);
      const start = performance.now();
      syncData(opened.fd, path);
      times.push(performance.now() - start);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  } finally {
    file.close();
    closeQuietly(opened.fd);
  }
  return times.slice(5); // the first flushes also allocate the file's blocks
}

const dir = await Deno.makeTempDir({ prefix: "ctpf-fsync-floor-" });
try {
  const medians = new Map(pausesMs.map((pause) => [pause, [] as number[]]));
  const nineties = new Map(pausesMs.map((pause) => [pause, [] as number[]]));
  for (let pass = 0; pass < passes; pass++) {
    for (const pause of pass % 2 === 0 ? pausesMs : [...pausesMs].reverse()) {
      const times = await onePass(`${dir}/wal-${pause}`, pause);
      medians.get(pause)!.push(percentile(times, 0.5));
      nineties.get(pause)!.push(percentile(times, 0.9));
    }
  }
  console.log(
    `fdatasync of one freshly written 4 KiB page in ${dir.replace(/[^/]*$/, "")}, ${flushesPerPass} a pass;`,
  );
  console.log(`ms over ${passes} passes, median [min–max] of the per-pass median and 90th percentile`);
  for (const pause of pausesMs) {
    const label = pause === 0 ? "back to back" : `one every ${pause} ms`;
    console.log(
      `  ${label.padEnd(18)} median ${medianRange(medians.get(pause)!, 3)}   p90 ${
        medianRange(nineties.get(pause)!, 3)
      }`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
