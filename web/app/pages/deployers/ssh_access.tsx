import { useState } from "preact/hooks";
import type { GetDeploySettingsResponse, KnownHostKey } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { errorText } from "../../format.ts";
import { usePolled } from "../../polled.ts";
import { useCanChange } from "../../role.ts";
import { deployApi } from "./api.ts";

/**
 * Puts `text` on the clipboard. The Clipboard API only exists on secure pages (https or localhost); a
 * lab's plain-http address gets the older copy command on a selected, off-screen text area.
 */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && isSecureContext) return await navigator.clipboard.writeText(text);
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.left = "-9999px";
  document.body.append(area);
  area.select();
  try {
    if (!document.execCommand("copy")) throw new Error("the browser refused to copy: select the key instead");
  } finally {
    area.remove();
  }
}

/** The service's public key as one authorized_keys line, with a button that copies it. */
function PublicKey({ settings }: { settings: GetDeploySettingsResponse }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () =>
    copyText(settings.sshPublicKey).then(
      () => setCopied("copied"),
      (e) => setCopied(errorText(e)),
    );
  return (
    <div class="public-key">
      <code data-field="ssh-public-key" onClick={(e) => getSelection()?.selectAllChildren(e.currentTarget)}>
        {settings.sshPublicKey}
      </code>
      <div class="actions">
        <button type="button" data-action="copy-key" onClick={copy}>Copy</button>
        {copied && <small class={copied === "copied" ? "muted" : "error"} role="status">{copied}</small>}
      </div>
      <p class="muted">
        Fingerprint <code data-field="ssh-public-key-fingerprint">{settings.sshPublicKeyFingerprint}</code>
      </p>
    </div>
  );
}

/**
 * #/deployers/ssh: the key every host must accept, how the SSH user is chosen, and the host keys
 * recorded on first contact (then enforced); forgetting one is for a host that was re-installed.
 */
export function SshAccessView() {
  const canChange = useCanChange();
  const [error, setError] = useState<string | null>(null);
  // Polled: deployments record host keys while the view is open.
  const [version, setVersion] = useState(0);
  const settings = usePolled(() => deployApi().getDeploySettings({}), 5000, [version]);
  const forget = (host: KnownHostKey) => {
    const question = `Forget ${host.host}'s host key? Only for a host that was re-installed: ` +
      "the next contact trusts whatever key answers.";
    if (!confirm(question)) return;
    deployApi().forgetHostKey({ host: host.host }).then(() => {
      setError(null);
      setVersion(version + 1);
    }, (e) => setError(errorText(e)));
  };
  if (!settings) return <p class="muted">Loading…</p>;
  return (
    <section data-view="ssh" aria-label="SSH access">
      <h3>This service's SSH key</h3>
      <p>
        Deployments log in with this key: add the line to <code>~/.ssh/authorized_keys</code>{" "}
        of the SSH user on every host ({settings.defaultSshUser} unless the node's label{" "}
        <code>{settings.sshUserLabel}</code>{" "}
        names another). The private half never leaves the service's data folder.
      </p>
      <PublicKey settings={settings} />
      <h3>Host keys</h3>
      <p class="muted">
        Recorded on first contact, then enforced: a host answering with another key is refused.
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      <SortableTable
        label="Host keys"
        name="hostkeys"
        rows={settings.knownHosts}
        rowKey={(h) => h.host}
        rowProps={(h) => ({ "data-known-host": h.host })}
        defaultSort="host"
        columns={[
          { key: "host", title: "Host", sortValue: (h) => h.host, render: (h) => h.host },
          {
            key: "fingerprints",
            title: "Keys",
            render: (h) => <span class="fingerprints">{h.fingerprints.join(", ")}</span>,
          },
          {
            key: "actions",
            title: "",
            render: (h) => canChange && <button type="button" onClick={() => forget(h)}>Forget</button>,
          },
        ]}
        empty="No host contacted yet."
      />
    </section>
  );
}
