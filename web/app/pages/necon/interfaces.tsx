import { useState } from "preact/hooks";
import { noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { InterfacePicker } from "../../components/interface_picker.tsx";
import { neconApi } from "./config_state.ts";

/**
 * The interfaces necon serves, ticked in the machine's list and saved with SetInterfaces (nothing else in
 * the configuration changes). Nothing is served that is not ticked here.
 */
export function ServedInterfaces(props: { served: string[]; reload: () => Promise<void> }) {
  // The ticks not yet saved; null while the list shows what runs.
  const [draft, setDraft] = useState<string[] | null>(null);
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const chosen = draft ?? props.served;
  const changed = draft !== null && [...draft].sort().join() !== [...props.served].sort().join();

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    try {
      await neconApi().setInterfaces({ interfaces: chosen });
      setErrors(noErrors);
      setDraft(null);
    } catch (e) {
      setErrors(submitErrorsOf(e));
    } finally {
      await props.reload();
      setBusy(false);
    }
  }

  const reasons = [...errors.fields].map(([path, reason]) => `${path}: ${reason}`);
  if (errors.general) reasons.unshift(errors.general);
  return (
    <form aria-label="Served interfaces" onSubmit={save}>
      <InterfacePicker label="Serve DHCP on" chosen={chosen} onChange={setDraft} disabled={busy} />
      {props.served.length === 0 && !changed && (
        <p class="muted" data-field="served">No interface is served: tick one and save to answer clients.</p>
      )}
      {reasons.length > 0 && (
        <p class="error" role="alert">
          Not saved, still serving {props.served.join(", ") || "nothing"}: {reasons.join("; ")}
        </p>
      )}
      {changed && (
        <div class="actions">
          <button type="submit" disabled={busy}>Save interfaces</button>
          <button type="button" onClick={() => setDraft(null)}>Undo</button>
        </div>
      )}
    </form>
  );
}
