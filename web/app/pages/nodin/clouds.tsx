import { useEffect, useState } from "preact/hooks";
import type { CloudAccount } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { Field } from "../../components/field.tsx";
import { errorsUnder, noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { errorText, formatTime, labelsText, nodinApi } from "./api.ts";

/** Each provider's settings and credential inputs, named by the API's field paths. */
const providers: Record<string, { title: string; settings: [string, string, string?][] }> = {
  "aws-ec2": {
    title: "AWS EC2",
    settings: [["region", "Region", "us-east-1"], ["endpoint", "Endpoint", "optional"]],
  },
  gce: {
    title: "Google Compute Engine",
    settings: [
      ["zones", "Zones", "europe-west1-b, europe-west1-c"],
      ["project", "Project", "optional: the key's project"],
      ["endpoint", "Endpoint", "optional"],
      ["token_url", "Token URL", "optional"],
    ],
  },
  digitalocean: { title: "DigitalOcean", settings: [["endpoint", "Endpoint", "optional"]] },
};

interface Draft {
  name: string;
  provider: string;
  settings: Record<string, string>;
  username: string;
  secret: string;
}

const emptyDraft: Draft = { name: "", provider: "aws-ec2", settings: {}, username: "", secret: "" };

/** The credential as each provider reads it (see CloudAccountInput in nodin.proto). */
function credentialOf(draft: Draft) {
  if (draft.provider === "gce") return { extra: { serviceAccountKey: draft.secret } };
  if (draft.provider === "digitalocean") return { password: draft.secret };
  return { username: draft.username, password: draft.secret };
}

function AccountForm(props: { onSaved: () => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(emptyDraft);
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const error = (field: string) => errorsUnder(errors, field).join("; ") || undefined;
  const shape = providers[draft.provider];
  async function save(event: Event) {
    event.preventDefault();
    const settings = Object.fromEntries(
      shape.settings.map(([key]) => [key, (draft.settings[key] ?? "").trim()]).filter(([, value]) => value),
    );
    try {
      const { account } = await nodinApi().putCloudAccount({
        account: { name: draft.name, provider: draft.provider, settings, credential: credentialOf(draft) },
      });
      // The first listing now, so the machines show at once (a failure shows on the account's row).
      if (account) await nodinApi().syncCloudAccount({ id: account.id });
      props.onSaved();
    } catch (e) {
      setErrors(submitErrorsOf(e));
    }
  }
  return (
    <form class="form" aria-label="Cloud account" onSubmit={save} noValidate>
      <h3>New cloud account</h3>
      <div class="row">
        <Field label="Name" name="account.name" error={error("account.name")}>
          <input
            name="account.name"
            value={draft.name}
            onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          />
        </Field>
        <Field label="Provider" name="account.provider" error={error("account.provider")}>
          <select
            name="account.provider"
            value={draft.provider}
            onChange={(e) => setDraft({ ...draft, provider: e.currentTarget.value, settings: {} })}
          >
            {Object.entries(providers).map(([id, p]) => <option key={id} value={id}>{p.title}</option>)}
          </select>
        </Field>
      </div>
      {shape.settings.map(([key, label, hint]) => (
        <Field
          key={key}
          label={label}
          name={`account.settings.${key}`}
          error={error(`account.settings.${key}`)}
          hint={hint}
        >
          <input
            name={`account.settings.${key}`}
            value={draft.settings[key] ?? ""}
            onInput={(e) =>
              setDraft({ ...draft, settings: { ...draft.settings, [key]: e.currentTarget.value } })}
          />
        </Field>
      ))}
      {draft.provider === "aws-ec2" && (
        <Field
          label="Access key id"
          name="account.credential.username"
          error={error("account.credential.username")}
        >
          <input
            name="account.credential.username"
            autocomplete="off"
            value={draft.username}
            onInput={(e) => setDraft({ ...draft, username: e.currentTarget.value })}
          />
        </Field>
      )}
      <Field
        label={draft.provider === "gce"
          ? "Service-account key (JSON)"
          : draft.provider === "digitalocean"
          ? "API token"
          : "Secret access key"}
        name="account.credential"
        error={error("account.credential")}
        hint="stored on the server (0600) and never shown again"
      >
        {draft.provider === "gce"
          ? (
            <textarea
              name="account.credential.secret"
              rows={4}
              value={draft.secret}
              onInput={(e) => setDraft({ ...draft, secret: e.currentTarget.value })}
            />
          )
          : (
            <input
              type="password"
              name="account.credential.secret"
              autocomplete="new-password"
              value={draft.secret}
              onInput={(e) => setDraft({ ...draft, secret: e.currentTarget.value })}
            />
          )}
      </Field>
      {errors.general && <p class="error" role="alert">{errors.general}</p>}
      <div class="actions">
        <button type="submit">Add account</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}

function syncText(account: CloudAccount): string {
  const sync = account.lastSync;
  if (!sync) return "not listed yet";
  return sync.ok
    ? `${sync.machines} machines, ${formatTime(sync.at)}`
    : `failed ${formatTime(sync.at)}: ${sync.error}`;
}

/** The cloud accounts whose machines are nodes: add (credential write-only), list now, remove. */
export function CloudsView() {
  const [accounts, setAccounts] = useState<CloudAccount[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    nodinApi().listCloudAccounts({}).then((r) => setAccounts(r.accounts), (e) => setError(errorText(e)));
  useEffect(() => {
    void load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, []);
  const act = (work: Promise<unknown>) =>
    work.then(() => (setError(null), load()), (e) => setError(errorText(e)));
  return (
    <>
      <p class="muted">
        Each account's machines are listed as nodes (seen by cloud:&lt;account&gt;) and powered through the
        provider; a machine the provider no longer lists retires its node.
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      <SortableTable
        label="Cloud accounts"
        rows={accounts ?? []}
        rowKey={(a) => a.id}
        rowProps={(a) => ({ "data-account": a.name })}
        defaultSort="name"
        columns={[
          { key: "name", title: "Name", sortValue: (a) => a.name, render: (a) => a.name },
          { key: "provider", title: "Provider", sortValue: (a) => a.provider, render: (a) => a.provider },
          { key: "settings", title: "Settings", render: (a) => labelsText(a.settings) },
          { key: "credential", title: "Credential", render: (a) => a.hasCredential ? "stored" : "missing" },
          {
            key: "sync",
            title: "Last listing",
            render: (a) => <span class={a.lastSync && !a.lastSync.ok ? "error" : ""}>{syncText(a)}</span>,
          },
          {
            key: "actions",
            title: "",
            render: (a) => (
              <>
                <button type="button" onClick={() => act(nodinApi().syncCloudAccount({ id: a.id }))}>
                  List now
                </button>{" "}
                <button type="button" onClick={() => act(nodinApi().deleteCloudAccount({ id: a.id }))}>
                  Remove
                </button>
              </>
            ),
          },
        ]}
        empty={accounts ? "No cloud accounts: only machines on the LAN are listed." : "Loading…"}
      />
      {adding
        ? (
          <AccountForm
            onSaved={() => {
              setAdding(false);
              load();
            }}
            onCancel={() => setAdding(false)}
          />
        )
        : <button type="button" onClick={() => setAdding(true)}>Add a cloud account</button>}
    </>
  );
}
