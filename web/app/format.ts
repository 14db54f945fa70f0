import { type Timestamp, timestampMs } from "@bufbuild/protobuf/wkt";

// Times, durations, sizes and errors as pages show them.

export const msOf = (t: Timestamp | undefined) => t ? timestampMs(t) : 0;

export function formatTime(t: Timestamp | undefined): string {
  return t && msOf(t) > 0 ? new Date(msOf(t)).toLocaleString() : "";
}

/** "4.2 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** "512 B", "1.4 MiB". */
export function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
