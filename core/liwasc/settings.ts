import { type FieldError, FieldErrors } from "../errors/field_errors.ts";
import type { LiwascSettings } from "./model.ts";

/** A week: a longer gap between scheduled scans is no schedule worth having. */
export const maxScanIntervalMinutes = 10_080;
export const maxRetentionDays = 3650;
export const maxArpRate = 100_000;

// What the kernel accepts as a link name (IFNAMSIZ holds 15 characters and the NUL).
const interfaceName = /^[^\s/:]{1,15}$/;

/**
 * The settings as they will be kept (retention 0 → 30 days, interfaces without repeats), or FieldErrors
 * naming every wrong field by its API path ("settings.arp_rate"), so a form shows each reason beside its
 * input. A newly chosen interface must exist now; one chosen before that has gone since (a unplugged USB
 * adapter) may stay, so the other settings can still be changed while it is away.
 */
export function checkSettings(
  next: LiwascSettings,
  current: LiwascSettings,
  exists: (name: string) => boolean,
): LiwascSettings {
  const errors: FieldError[] = [];
  const wrong = (field: string, message: string) => errors.push({ field: `settings.${field}`, message });
  if (!Number.isInteger(next.arpRate) || next.arpRate < 1 || next.arpRate > maxArpRate) {
    wrong("arp_rate", `from 1 to ${maxArpRate} requests per second`);
  }
  if (
    !Number.isInteger(next.scanIntervalMinutes) || next.scanIntervalMinutes < 0 ||
    next.scanIntervalMinutes > maxScanIntervalMinutes
  ) {
    wrong("scan_interval_minutes", `from 0 (no schedule) to ${maxScanIntervalMinutes} minutes (a week)`);
  }
  if (
    !Number.isInteger(next.retentionDays) || next.retentionDays < 0 || next.retentionDays > maxRetentionDays
  ) {
    wrong("retention_days", `from 0 (30 days) to ${maxRetentionDays} days`);
  }
  const interfaces = [...new Set(next.scanInterfaces)];
  const bad = interfaces.filter((name) => !interfaceName.test(name) || name === "." || name === "..");
  const missing = interfaces.filter((name) =>
    !bad.includes(name) && !current.scanInterfaces.includes(name) && !exists(name)
  );
  if (bad.length > 0) {
    wrong(
      "scan_interfaces",
      `not an interface name: ${bad.map((n) => `"${n}"`).join(", ")}`,
    );
  }
  if (missing.length > 0) {
    wrong("scan_interfaces", `no interface named ${missing.join(", ")} on this machine`);
  }
  if (errors.length > 0) throw new FieldErrors(errors);
  return {
    scanIntervalMinutes: next.scanIntervalMinutes,
    retentionDays: next.retentionDays || 30,
    arpRate: next.arpRate,
    reverseDns: next.reverseDns,
    scanInterfaces: interfaces,
  };
}
