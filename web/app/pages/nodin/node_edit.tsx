import { useState } from "preact/hooks";
import type { InventoryNode } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { Field } from "../../components/field.tsx";
import { errorsUnder, noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { usePolled } from "../../polled.ts";
import { labelsText, nodinApi, parseLabels } from "./api.ts";

interface Draft {
  name: string;
  labels: string;
  bootIntent: string;
  driver: string;
  address: string;
  credentialRef: string;
  username: string;
  password: string;
}

const draftOf = (node: InventoryNode): Draft => ({
  name: node.name,
  labels: labelsText(node.labels),
  bootIntent: node.bootIntent,
  driver: node.bmc?.driver ?? "",
  address: node.bmc?.address ?? "",
  credentialRef: node.bmc?.credentialRef ?? "",
  username: "",
  password: "",
});

/**
 * The node's name, labels, boot intent and BMC reference. The credential is write-only: the page shows
 * whether one is stored, and sends a new one only when typed.
 */
export function NodeEdit({ node }: { node: InventoryNode }) {
  const drivers = usePolled(() => nodinApi().listDrivers({}), 30_000);
  const [draft, setDraft] = useState(() => draftOf(node));
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [saved, setSaved] = useState(false);
  const error = (field: string) => errorsUnder(errors, field).join("; ") || undefined;
  const change = (key: keyof Draft, value: string) => {
    setDraft({ ...draft, [key]: value });
    setSaved(false);
  };
  const input = (key: keyof Draft, label: string, field: string, hint?: string) => (
    <Field label={label} name={field} error={error(field)} hint={hint}>
      <input
        name={field}
        autoComplete="off"
        value={draft[key]}
        onInput={(e) =>
          change(key, e.currentTarget.value)}
      />
    </Field>
  );
  async function save(event: Event) {
    event.preventDefault();
    const credential = draft.username || draft.password
      ? { username: draft.username, password: draft.password }
      : undefined;
    const bmcChanged = draft.driver !== (node.bmc?.driver ?? "") ||
      draft.address !== (node.bmc?.address ?? "") ||
      draft.credentialRef !== (node.bmc?.credentialRef ?? "") || credential;
    try {
      await nodinApi().updateNode({
        id: node.id,
        name: draft.name,
        labels: { values: parseLabels(draft.labels) },
        bootIntent: draft.bootIntent,
        bmc: bmcChanged && draft.driver
          ? { driver: draft.driver, address: draft.address, credentialRef: draft.credentialRef, credential }
          : undefined,
        removeBmc: !draft.driver && !!node.bmc,
      });
      setErrors(noErrors);
      setDraft({ ...draft, username: "", password: "" });
      setSaved(true);
    } catch (e) {
      setErrors(submitErrorsOf(e));
    }
  }
  return (
    <form class="form" aria-label="Edit node" onSubmit={save} noValidate>
      <div class="row">
        {input("name", "Name", "name")}
        {input("bootIntent", "Boot intent", "boot_intent")}
      </div>
      {input("labels", "Labels", "labels", "key=value, comma-separated")}
      <fieldset>
        <legend>BMC</legend>
        <Field label="Power driver" name="bmc.driver" error={error("bmc.driver")}>
          <select
            name="bmc.driver"
            value={draft.driver}
            onChange={(e) => setDraft({ ...draft, driver: e.currentTarget.value })}
          >
            <option value="">none (power not managed)</option>
            {drivers?.drivers.map((d) => <option key={d.driver} value={d.driver}>{d.driver}</option>)}
          </select>
        </Field>
        {input("address", "Address", "bmc.address", "host:port, URL or URI")}
        {input(
          "credentialRef",
          "Credential reference",
          "bmc.credential_ref",
          "empty: the node's own",
        )}
        <div class="row">
          {input("username", "User", "bmc.credential.username")}
          <Field
            label="Password"
            name="bmc.credential.password"
            error={error("bmc.credential.password")}
            hint={node.bmc?.hasCredential ? "stored; type to replace" : "none stored"}
          >
            <input
              name="bmc.credential.password"
              type="password"
              autoComplete="new-password"
              value={draft.password}
              onInput={(e) => change("password", e.currentTarget.value)}
            />
          </Field>
        </div>
      </fieldset>
      {errors.general && <p class="error" role="alert">{errors.general}</p>}
      <div class="actions">
        <button type="submit">Save</button>
        {saved && <span role="status" data-field="saved">Saved.</span>}
      </div>
    </form>
  );
}
