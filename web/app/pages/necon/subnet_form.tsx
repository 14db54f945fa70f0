import { useState } from "preact/hooks";
import type { Subnet } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { Field } from "../../components/field.tsx";
import { noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { routeHref } from "../../route.ts";
import { neconApi } from "./config_state.ts";
import { errorText, unclaimedErrors } from "./form_errors.ts";
import { RowList, TextField } from "./inputs.tsx";
import { draftOf, optionKinds, type SubnetDraft, subnetOf } from "./subnet_draft.ts";

/** Every input's API path: a violation under none of them is listed at the top of the form. */
const claimed = [
  "subnet.id",
  "subnet.cidr",
  "subnet.interface",
  "subnet.pools",
  "subnet.routers",
  "subnet.dnsServers",
  "subnet.domainName",
  "subnet.domainSearch",
  "subnet.ntpServers",
  "subnet.mtu",
  "subnet.leaseSeconds",
  "subnet.renewSeconds",
  "subnet.rebindSeconds",
  "subnet.options",
];

type Status = { kind: "idle" } | { kind: "saved" } | { kind: "refused" };

/**
 * Creates (no `subnet`) or edits a subnet with PutSubnet. A refused save leaves the running configuration
 * as it was; the form keeps the draft to fix, with each reason beside its input, and says it was not saved.
 */
export function SubnetForm(
  props: { subnet?: Subnet; servedInterfaces: string[]; reload: () => Promise<void> },
) {
  const editing = props.subnet !== undefined;
  const [draft, setDraft] = useState<SubnetDraft>(() => draftOf(props.subnet));
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [busy, setBusy] = useState(false);
  const set = (changes: Partial<SubnetDraft>) => {
    setDraft({ ...draft, ...changes });
    if (status.kind === "saved") setStatus({ kind: "idle" });
  };
  const error = (...paths: string[]) => errorText(errors, ...paths);

  async function save(event: Event) {
    event.preventDefault();
    const { subnet, errors: local } = subnetOf(draft);
    if (local.size) {
      setErrors({ fields: local, general: null });
      return setStatus({ kind: "refused" });
    }
    setBusy(true);
    try {
      if (editing) {
        // Reservations are edited on their own: send the running ones, so one made meanwhile (a lease
        // reserved from the lease table) is kept.
        const running = (await neconApi().getConfig({})).config?.subnets.find((s) => s.id === subnet.id);
        if (running) subnet.reservations = running.reservations;
      }
      const { config } = await neconApi().putSubnet({ subnet });
      const saved = config?.subnets.find((s) => subnet.id ? s.id === subnet.id : s.cidr === subnet.cidr);
      setErrors(noErrors);
      setStatus({ kind: "saved" });
      if (saved) setDraft(draftOf(saved));
      await props.reload();
      if (!editing && saved) location.hash = routeHref(["necon", "subnets", saved.id]);
    } catch (e) {
      setErrors(submitErrorsOf(e));
      setStatus({ kind: "refused" });
      await props.reload();
    } finally {
      setBusy(false);
    }
  }

  const unclaimed = unclaimedErrors(errors, claimed);
  const interfaces = [...new Set([...props.servedInterfaces, draft.interface].filter(Boolean))];
  return (
    <form class="form" aria-label={editing ? `Subnet ${draft.id}` : "New subnet"} onSubmit={save} noValidate>
      {status.kind === "refused" && (
        <p class="error" data-field="form-status" role="alert">
          Not saved: the running configuration is unchanged.
          {unclaimed.map((line) => <span key={line} class="unclaimed">{line}</span>)}
        </p>
      )}
      {status.kind === "saved" && <p class="ok" data-field="form-status">Saved and in force.</p>}
      <div class="row">
        <TextField
          label="Network (CIDR)"
          name="subnet.cidr"
          value={draft.cidr}
          placeholder="10.0.0.0/24"
          error={error("subnet.cidr")}
          onInput={(cidr) =>
            set({ cidr })}
        />
        <TextField
          label="Name"
          name="subnet.id"
          value={draft.id}
          hint={editing ? "fixed once created" : "optional; defaults to the CIDR"}
          disabled={editing}
          error={error("subnet.id")}
          onInput={(id) =>
            set({ id })}
        />
        <Field label="Interface" name="subnet.interface" error={error("subnet.interface")}>
          <select
            name="subnet.interface"
            value={draft.interface}
            onChange={(event) =>
              set({ interface: (event.target as HTMLSelectElement).value })}
          >
            <option value="">automatic (by address)</option>
            {interfaces.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </Field>
      </div>
      <RowList
        legend="Address pools"
        addLabel="Add pool"
        rows={draft.pools}
        onChange={(pools) =>
          set({ pools })}
        blank={() => ({ start: "", end: "" })}
        rowError={(i) => errors.fields.get(`subnet.pools[${i}]`)}
        row={(pool, i, update) => [
          <TextField
            key="start"
            label="First address"
            name={`subnet.pools[${i}].start`}
            value={pool.start}
            error={error(`subnet.pools[${i}].start`)}
            onInput={(start) => update({ ...pool, start })}
          />,
          <TextField
            key="end"
            label="Last address"
            name={`subnet.pools[${i}].end`}
            value={pool.end}
            error={error(`subnet.pools[${i}].end`)}
            onInput={(end) => update({ ...pool, end })}
          />,
        ]}
      />
      <div class="row">
        <TextField
          label="Routers"
          name="subnet.routers"
          value={draft.routers}
          hint="addresses, separated by commas"
          error={error("subnet.routers")}
          onInput={(routers) => set({ routers })}
        />
        <TextField
          label="DNS servers"
          name="subnet.dnsServers"
          value={draft.dnsServers}
          error={error("subnet.dnsServers")}
          onInput={(dnsServers) => set({ dnsServers })}
        />
        <TextField
          label="Domain name"
          name="subnet.domainName"
          value={draft.domainName}
          error={error("subnet.domainName")}
          onInput={(domainName) => set({ domainName })}
        />
        <TextField
          label="Search domains"
          name="subnet.domainSearch"
          value={draft.domainSearch}
          error={error("subnet.domainSearch")}
          onInput={(domainSearch) => set({ domainSearch })}
        />
        <TextField
          label="NTP servers"
          name="subnet.ntpServers"
          value={draft.ntpServers}
          error={error("subnet.ntpServers")}
          onInput={(ntpServers) => set({ ntpServers })}
        />
        <TextField
          label="MTU"
          name="subnet.mtu"
          value={draft.mtu}
          hint="empty: not sent"
          error={error("subnet.mtu")}
          onInput={(mtu) => set({ mtu })}
        />
        <TextField
          label="Lease time (s)"
          name="subnet.leaseSeconds"
          value={draft.leaseSeconds}
          hint="empty: 3600"
          error={error("subnet.leaseSeconds", "subnet.renewSeconds", "subnet.rebindSeconds")}
          onInput={(leaseSeconds) => set({ leaseSeconds })}
        />
      </div>
      <RowList
        legend="Other options"
        addLabel="Add option"
        rows={draft.options}
        onChange={(options) => set({ options })}
        blank={() => ({ code: "", kind: "string", value: "" })}
        rowError={(i) => errors.fields.get(`subnet.options[${i}]`)}
        row={(option, i, update) => [
          <TextField
            key="code"
            label="Code"
            name={`subnet.options[${i}].code`}
            value={option.code}
            placeholder="66"
            error={error(`subnet.options[${i}].code`)}
            onInput={(code) => update({ ...option, code })}
          />,
          <Field key="kind" label="Kind" name={`subnet.options[${i}].kind`}>
            <select
              name={`subnet.options[${i}].kind`}
              value={option.kind}
              onChange={(event) => update({ ...option, kind: (event.target as HTMLSelectElement).value })}
            >
              {optionKinds.map((kind) => <option key={kind} value={kind}>{kind}</option>)}
            </select>
          </Field>,
          <TextField
            key="value"
            label="Value"
            name={`subnet.options[${i}].value`}
            value={option.value}
            onInput={(value) => update({ ...option, value })}
          />,
        ]}
      />
      <p class="muted">
        Network boot answers (next server, boot file per client architecture) come from bofied's rules; for a
        plain client, options 66 (TFTP server) and 67 (boot file) can be set here.
      </p>
      <div class="actions">
        <button type="submit" disabled={busy}>{editing ? "Save" : "Create subnet"}</button>
        <a href={routeHref(["necon"])}>Back to subnets</a>
      </div>
    </form>
  );
}
