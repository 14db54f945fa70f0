import { useState } from "preact/hooks";
import type { CheckBmcResponse } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { Field } from "../../components/field.tsx";
import { errorsUnder, noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { usePolled } from "../../polled.ts";
import { formatTime, nodinApi, parseLabels } from "./api.ts";

/** A BMC checked before it has a node: status, on or off, with a credential used for this call only. */
export function BmcCheckView() {
  const drivers = usePolled(() => nodinApi().listDrivers({}), 30_000);
  const choices = (drivers?.drivers ?? []).filter((d) => d.driver !== "cloud");
  const [draft, setDraft] = useState({ driver: "", address: "", options: "", username: "", password: "" });
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [result, setResult] = useState<CheckBmcResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const error = (field: string) => errorsUnder(errors, field).join("; ") || undefined;
  const driver = draft.driver || choices[0]?.driver || "";
  async function check(action: string) {
    setBusy(true);
    setErrors(noErrors);
    setResult(null);
    try {
      setResult(
        await nodinApi().checkBmc({
          action,
          bmc: {
            driver,
            address: draft.address,
            options: parseLabels(draft.options),
            credential: { username: draft.username, password: draft.password },
          },
        }),
      );
    } catch (e) {
      setErrors(submitErrorsOf(e));
    } finally {
      setBusy(false);
    }
  }
  const text = (key: keyof typeof draft, label: string, field: string, hint?: string) => {
    const onInput = (e: { currentTarget: HTMLInputElement }) =>
      setDraft({ ...draft, [key]: e.currentTarget.value });
    return (
      <Field label={label} name={field} error={error(field)} hint={hint}>
        {key === "password"
          ? (
            <input
              name={field}
              type="password"
              autocomplete="new-password"
              value={draft[key]}
              onInput={onInput}
            />
          )
          : <input name={field} autocomplete="off" value={draft[key]} onInput={onInput} />}
      </Field>
    );
  };
  return (
    <form
      class="form"
      aria-label="Check a BMC"
      onSubmit={(e) => (e.preventDefault(), check("status"))}
      noValidate
    >
      <p class="muted">
        Reach a BMC before enrolling its machine. The credential is used for this check only: it is not
        stored.
      </p>
      <div class="row">
        <Field label="Driver" name="bmc.driver" error={error("bmc.driver")}>
          <select
            name="bmc.driver"
            value={driver}
            onChange={(e) => setDraft({ ...draft, driver: e.currentTarget.value })}
          >
            {choices.map((d) => <option key={d.driver} value={d.driver}>{d.driver}</option>)}
          </select>
        </Field>
        {text("address", "Address", "bmc.address", "host:port, URL or URI")}
      </div>
      {text("options", "Options", "bmc.options", "optional: key=value, …")}
      <div class="row">
        {text("username", "User", "bmc.credential.username")}
        {text("password", "Password", "bmc.credential.password")}
      </div>
      {errors.general && <p class="error" role="alert">{errors.general}</p>}
      {error("bmc") && <p class="error" role="alert">{error("bmc")}</p>}
      {error("action") && <p class="error" role="alert">{error("action")}</p>}
      <div class="actions">
        <button type="submit" disabled={busy}>Status</button>
        <button type="button" disabled={busy} onClick={() => check("on")}>Power on</button>
        <button type="button" disabled={busy} onClick={() => check("off")}>Power off</button>
      </div>
      {result && (
        <p role="status" data-field="bmc-result">
          <span class={`badge ${result.observed?.state === "on" ? "on" : "warn"}`}>
            {result.observed?.state}
          </span>{" "}
          {result.done && `${result.done}; `}
          {result.observed?.evidence} ({formatTime(result.observed?.at)})
        </p>
      )}
    </form>
  );
}
