import { FieldErrors } from "../errors/field_errors.ts";
import { assertEquals, assertThrows } from "../testing/assert.ts";
import { defaultSettings, type LiwascSettings } from "./model.ts";
import { checkSettings } from "./settings.ts";

const machine = new Set(["eth0", "eth1"]);
const exists = (name: string) => machine.has(name);

function violations(next: Partial<LiwascSettings>, current = defaultSettings) {
  const error = assertThrows(
    () => checkSettings({ ...defaultSettings, ...next }, current, exists),
    FieldErrors,
  ) as FieldErrors;
  return error.errors.map((e) => e.field);
}

Deno.test("liwasc settings: kept as given, retention 0 meaning 30 days and each interface once", () => {
  assertEquals(
    checkSettings(
      { ...defaultSettings, retentionDays: 0, arpRate: 50, scanInterfaces: ["eth1", "eth0", "eth1"] },
      defaultSettings,
      exists,
    ),
    { ...defaultSettings, retentionDays: 30, arpRate: 50, scanInterfaces: ["eth1", "eth0"] },
  );
});

Deno.test("liwasc settings: every wrong field is named by its API path, all at once", () => {
  assertEquals(violations({ arpRate: 0 }), ["settings.arp_rate"]);
  assertEquals(violations({ arpRate: 100_001 }), ["settings.arp_rate"]);
  assertEquals(violations({ scanIntervalMinutes: 10_081, retentionDays: 3651 }), [
    "settings.scan_interval_minutes",
    "settings.retention_days",
  ]);
  assertEquals(violations({ arpRate: 1.5, scanInterfaces: ["eth9"] }), [
    "settings.arp_rate",
    "settings.scan_interfaces",
  ]);
  assertEquals(violations({ scanInterfaces: ["../eth0", "a-name-far-too-long", ""] }), [
    "settings.scan_interfaces",
  ]);
});

Deno.test("liwasc settings: a new interface must exist; one chosen before that has gone may stay", () => {
  const current = { ...defaultSettings, scanInterfaces: ["usb0"] };
  assertEquals(checkSettings({ ...current, arpRate: 10 }, current, exists).scanInterfaces, ["usb0"]);
  assertEquals(violations({ scanInterfaces: ["usb0", "usb1"] }, current), ["settings.scan_interfaces"]);
});
