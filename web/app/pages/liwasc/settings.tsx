import { useEffect, useState } from "preact/hooks";
import type { Settings } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { Field } from "../../components/field.tsx";
import { errorsUnder, noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { InterfacePicker } from "../../components/interface_picker.tsx";
import { usePolled } from "../../polled.ts";
import { liwascApi } from "./api.ts";

interface Draft {
  scanInterfaces: string[];
  scanIntervalMinutes: string;
  retentionDays: string;
  arpRate: string;
  reverseDns: boolean;
}

const draftOf = (s: Settings): Draft => ({
  scanInterfaces: [...s.scanInterfaces],
  scanIntervalMinutes: String(s.scanIntervalMinutes),
  retentionDays: String(s.retentionDays),
  arpRate: String(s.arpRate),
  reverseDns: s.reverseDns,
});

const numberFields = [
  ["scanIntervalMinutes", "settings.scan_interval_minutes"],
  ["retentionDays", "settings.retention_days"],
  ["arpRate", "settings.arp_rate"],
] as const;

/**
 * The draft as settings, or the fields that are not whole numbers (the API's uint32 cannot carry them).
 * Ranges are the server's to judge: its reasons come back beside the same fields.
 */
function settingsOf(draft: Draft): { settings?: Omit<Settings, "$typeName">; errors: SubmitErrors } {
  const fields = new Map<string, string>();
  const numbers: Record<string, number> = {};
  for (const [key, field] of numberFields) {
    const text = draft[key].trim();
    if (!/^\d+$/.test(text)) fields.set(field, "a whole number, 0 or more");
    numbers[key] = Number(text);
  }
  if (fields.size > 0) return { errors: { fields, general: null } };
  return {
    settings: {
      scanInterfaces: draft.scanInterfaces,
      scanIntervalMinutes: numbers.scanIntervalMinutes,
      retentionDays: numbers.retentionDays,
      arpRate: numbers.arpRate,
      reverseDns: draft.reverseDns,
    },
    errors: noErrors,
  };
}

/** liwasc's settings (#/liwasc/settings): the scan interfaces, the schedule, the retention and the pace. */
export function SettingsView() {
  const metadata = usePolled(() => liwascApi().getScannerMetadata({}), 10_000);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    liwascApi().getSettings({}).then(
      (r) => r.settings && setDraft(draftOf(r.settings)),
      (e) => setErrors(submitErrorsOf(e)),
    );
  }, []);
  if (!draft) {
    return errors.general
      ? <p class="error" role="alert">{errors.general}</p>
      : <p class="muted">Loading…</p>;
  }
  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };
  const error = (field: string) => errorsUnder(errors, field).join("; ") || undefined;
  const flag = metadata?.flagScanInterfaces ?? [];
  async function save(event: Event) {
    event.preventDefault();
    const { settings, errors: local } = settingsOf(draft!);
    setErrors(local);
    if (!settings) return;
    setSaving(true);
    try {
      const response = await liwascApi().setSettings({ settings });
      if (response.settings) setDraft(draftOf(response.settings));
      setSaved(true);
    } catch (e) {
      setErrors(submitErrorsOf(e));
    } finally {
      setSaving(false);
    }
  }
  const interfacesError = error("settings.scan_interfaces");
  return (
    <form class="form" aria-label="Settings" onSubmit={save} noValidate>
      <div class={interfacesError ? "field invalid" : "field"} data-field-name="settings.scan_interfaces">
        <InterfacePicker
          label="Scan interfaces"
          chosen={draft.scanInterfaces}
          onChange={(scanInterfaces) => change({ scanInterfaces })}
        />
        <small class="muted">
          Scans and wakes use only the ticked interfaces: ARP asks every address of their subnets.
        </small>
        {flag.length > 0 && (
          <small class="muted" data-field="flag">
            Started with --scan-interfaces{" "}
            {flag.join(",")}: at every start that list replaces the one chosen here.
          </small>
        )}
        {interfacesError && <small class="error field-error" role="alert">{interfacesError}</small>}
      </div>
      <div class="row">
        <Field
          label="Minutes between scheduled node scans"
          name="settings.scan_interval_minutes"
          hint="0: no schedule"
          error={error("settings.scan_interval_minutes")}
        >
          <input
            name="scan_interval_minutes"
            inputMode="numeric"
            value={draft.scanIntervalMinutes}
            onInput={(e) => change({ scanIntervalMinutes: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Days history is kept"
          name="settings.retention_days"
          hint="0: 30 days"
          error={error("settings.retention_days")}
        >
          <input
            name="retention_days"
            inputMode="numeric"
            value={draft.retentionDays}
            onInput={(e) => change({ retentionDays: e.currentTarget.value })}
          />
        </Field>
        <Field label="ARP requests per second" name="settings.arp_rate" error={error("settings.arp_rate")}>
          <input
            name="arp_rate"
            inputMode="numeric"
            value={draft.arpRate}
            onInput={(e) => change({ arpRate: e.currentTarget.value })}
          />
        </Field>
      </div>
      <label>
        <input
          type="checkbox"
          name="reverse_dns"
          checked={draft.reverseDns}
          onChange={(e) => change({ reverseDns: e.currentTarget.checked })}
        />{" "}
        Look up hostnames (reverse DNS)
      </label>
      {errors.general && <p class="error" role="alert">{errors.general}</p>}
      <div class="actions">
        <button type="submit" disabled={saving}>Save</button>
        {saved && <span role="status" data-field="saved">Saved.</span>}
      </div>
    </form>
  );
}
