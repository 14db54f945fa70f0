import { useEffect, useState } from "preact/hooks";
import type { EnrolmentRule } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { Field } from "../../components/field.tsx";
import { errorsUnder, noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { errorText, labelsText, nodinApi, parseLabels, splitList } from "./api.ts";

interface Draft {
  id: string;
  name: string;
  priority: string;
  enabled: boolean;
  macPrefixes: string;
  pxeArchitectures: string;
  labelSelector: string;
  setLabels: string;
  bootIntent: string;
}

const emptyDraft: Draft = {
  id: "",
  name: "",
  priority: "100",
  enabled: true,
  macPrefixes: "",
  pxeArchitectures: "",
  labelSelector: "",
  setLabels: "",
  bootIntent: "",
};

const draftOf = (rule: EnrolmentRule): Draft => ({
  id: rule.id,
  name: rule.name,
  priority: String(rule.priority),
  enabled: rule.enabled,
  macPrefixes: rule.macPrefixes.join(", "),
  pxeArchitectures: rule.pxeArchitectures.join(", "),
  labelSelector: rule.labelSelector,
  setLabels: labelsText(rule.setLabels),
  bootIntent: rule.bootIntent,
});

/** The draft as a rule, or the fields the API's integers cannot carry; the server judges the rest. */
function ruleOf(
  draft: Draft,
): { rule?: Parameters<ReturnType<typeof nodinApi>["putEnrolmentRule"]>[0]["rule"]; errors: SubmitErrors } {
  const fields = new Map<string, string>();
  if (!/^-?\d+$/.test(draft.priority.trim())) fields.set("rule.priority", "a whole number");
  const archs = splitList(draft.pxeArchitectures);
  archs.forEach((a, i) =>
    !/^\d+$/.test(a) && fields.set(`rule.pxe_architectures[${i}]`, "a number (7: x64 UEFI)")
  );
  if (fields.size) return { errors: { fields, general: null } };
  return {
    rule: {
      id: draft.id,
      name: draft.name,
      priority: Number(draft.priority),
      enabled: draft.enabled,
      macPrefixes: splitList(draft.macPrefixes),
      pxeArchitectures: archs.map(Number),
      labelSelector: draft.labelSelector,
      setLabels: parseLabels(draft.setLabels),
      bootIntent: draft.bootIntent,
    },
    errors: noErrors,
  };
}

function RuleForm(props: { draft: Draft; onSaved: () => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(props.draft);
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  useEffect(() => setDraft(props.draft), [props.draft]);
  const error = (field: string) => errorsUnder(errors, field).join("; ") || undefined;
  const text = (key: keyof Draft, label: string, field: string, hint?: string) => (
    <Field label={label} name={field} error={error(field)} hint={hint}>
      <input
        name={field}
        value={draft[key] as string}
        onInput={(e) =>
          setDraft({ ...draft, [key]: e.currentTarget.value })}
      />
    </Field>
  );
  async function save(event: Event) {
    event.preventDefault();
    const { rule, errors: local } = ruleOf(draft);
    setErrors(local);
    if (!rule) return;
    try {
      await nodinApi().putEnrolmentRule({ rule });
      props.onSaved();
    } catch (e) {
      setErrors(submitErrorsOf(e));
    }
  }
  return (
    <form class="form" aria-label="Enrolment rule" onSubmit={save} noValidate>
      <h3>{draft.id ? `Rule ${draft.name}` : "New rule"}</h3>
      <div class="row">
        {text("name", "Name", "rule.name")}
        {text("priority", "Priority", "rule.priority", "lowest first")}
      </div>
      {text("macPrefixes", "MAC prefixes", "rule.mac_prefixes", "comma-separated: 02:00:00, 52:54:00:12")}
      {text(
        "pxeArchitectures",
        "PXE architectures",
        "rule.pxe_architectures",
        "0 BIOS, 7 x64 UEFI, 11 ARM64 UEFI",
      )}
      {text("labelSelector", "Label selector", "rule.label_selector", "rack=a,!spare")}
      {text("setLabels", "Labels to set", "rule.set_labels", "role=worker, rack=a")}
      {text("bootIntent", "Boot intent", "rule.boot_intent")}
      <label>
        <input
          type="checkbox"
          name="enabled"
          checked={draft.enabled}
          onChange={(e) => setDraft({ ...draft, enabled: e.currentTarget.checked })}
        />{" "}
        Enabled
      </label>
      {errors.general && <p class="error" role="alert">{errors.general}</p>}
      <div class="actions">
        <button type="submit">Save rule</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}

/** The enrolment rules, in the order they are tried, and an editor for one. */
export function RulesView() {
  const [rules, setRules] = useState<EnrolmentRule[] | null>(null);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    nodinApi().listEnrolmentRules({}).then((r) => setRules(r.rules), (e) => setError(errorText(e)));
  useEffect(() => void load(), []);
  const remove = (id: string) =>
    nodinApi().deleteEnrolmentRule({ id }).then(load, (e) => setError(errorText(e)));
  return (
    <>
      <p class="muted">
        A discovered node is enrolled by the first enabled rule (lowest priority first) whose every condition
        holds.
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      <SortableTable
        label="Enrolment rules"
        rows={rules ?? []}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ "data-rule": r.id })}
        defaultSort="priority"
        columns={[
          { key: "priority", title: "Priority", sortValue: (r) => r.priority, render: (r) => r.priority },
          { key: "name", title: "Name", sortValue: (r) => r.name, render: (r) => r.name },
          {
            key: "match",
            title: "Matches",
            render: (r) =>
              [
                r.macPrefixes.length ? `MAC ${r.macPrefixes.join(" | ")}` : "",
                r.pxeArchitectures.length ? `PXE arch ${r.pxeArchitectures.join(" | ")}` : "",
                r.labelSelector ? `labels ${r.labelSelector}` : "",
              ].filter(Boolean).join("; "),
          },
          { key: "labels", title: "Sets labels", render: (r) => labelsText(r.setLabels) },
          { key: "boot", title: "Boot intent", render: (r) => r.bootIntent },
          { key: "enabled", title: "Enabled", render: (r) => r.enabled ? "yes" : "no" },
          {
            key: "actions",
            title: "",
            render: (r) => (
              <>
                <button type="button" onClick={() => setEditing(draftOf(r))}>Edit</button>{" "}
                <button type="button" onClick={() => remove(r.id)}>Delete</button>
              </>
            ),
          },
        ]}
        empty={rules ? "No rules: discovered nodes wait to be enrolled by hand." : "Loading…"}
      />
      {editing
        ? (
          <RuleForm
            draft={editing}
            onSaved={() => {
              setEditing(null);
              load();
            }}
            onCancel={() => setEditing(null)}
          />
        )
        : <button type="button" onClick={() => setEditing({ ...emptyDraft })}>Add a rule</button>}
    </>
  );
}
