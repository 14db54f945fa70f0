import { useState } from "preact/hooks";
import type { DeployKind, GetDeploySettingsResponse } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { Field } from "../../components/field.tsx";
import { errorsUnder, noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { useCanChange } from "../../role.ts";
import { routeHref, setQuery, useRoute } from "../../route.ts";
import { deployApi, deploymentHref } from "./api.ts";
import { TargetPicker, targetsRequest, useTargetPreview } from "./target_picker.tsx";

/**
 * Each kind's options as typed; the server judges them (its reasons come back per field). The overlay
 * network is one value for both: k3s runs on the network a gloeth deployment made.
 */
interface Options {
  overlayNetwork: string;
  linkPort: string;
  dialOnlySelector: string;
  serverSelector: string;
  version: string;
  cluster: string;
}

const noOptions: Options = {
  overlayNetwork: "",
  linkPort: "",
  dialOnlySelector: "",
  serverSelector: "",
  version: "",
  cluster: "",
};

/**
 * #/deployers/new?selector=…&kind=…: targets from nodin's nodes by label (a live preview of what the
 * selector matches), the deployer and its options, then Plan (look and report, change nothing) or Run.
 * The selector and the kind live in the URL, so a deployment's form is a link.
 */
export function NewDeploymentView({ settings }: { settings: GetDeploySettingsResponse }) {
  const canChange = useCanChange();
  const { query } = useRoute();
  const selector = query.get("selector") ?? "";
  const kind = settings.kinds.find((k) => k.name === query.get("kind") && k.available) ??
    settings.kinds.find((k) => k.available) ?? settings.kinds[0];
  const preview = useTargetPreview(selector);
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [options, setOptions] = useState<Options>(noOptions);
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const error = (field: string) => errorsUnder(errors, field).join("; ") || undefined;
  const ready = preview !== null && preview.selector === selector && !preview.error;

  async function start(plan: boolean) {
    if (!kind) return;
    // The API's port is an integer: text that is none is refused here, beside its field.
    const port = options.linkPort.trim();
    if (port && !/^\d+$/.test(port)) {
      setErrors({ fields: new Map([["gloeth.link_port", "a port number"]]), general: null });
      return;
    }
    const targets = targetsRequest(selector, preview, excluded);
    const count = targets.nodeIds.length || (preview?.targets.length ?? 0);
    // A run makes the targets the whole mesh or cluster: say so before it removes what is left out.
    const question = `Run ${kind.name} on ${count} node${count === 1 ? "" : "s"} now? Nodes it deployed ` +
      "before and not among them are removed (Plan shows what a run would change).";
    if (!plan && !confirm(question)) return;
    setBusy(true);
    try {
      const { deployment } = await deployApi().startDeployment({
        kind: kind.name,
        plan,
        ...targets,
        gloeth: kind.name === "gloeth"
          ? {
            overlayNetwork: options.overlayNetwork.trim(),
            linkPort: port ? Number(port) : 0,
            dialOnlySelector: options.dialOnlySelector.trim(),
          }
          : undefined,
        k3s: kind.name === "k3s"
          ? {
            serverSelector: options.serverSelector.trim(),
            version: options.version.trim(),
            cluster: options.cluster.trim(),
            overlayNetwork: options.overlayNetwork.trim(),
          }
          : undefined,
      });
      if (deployment) location.hash = deploymentHref(deployment.id);
    } catch (e) {
      setErrors(submitErrorsOf(e));
    } finally {
      setBusy(false);
    }
  }

  const text = (key: keyof Options, label: string, field: string, hint: string, placeholder = "") => (
    <Field label={label} name={field} error={error(field)} hint={hint}>
      <input
        name={field}
        autoComplete="off"
        spellcheck={false}
        placeholder={placeholder}
        value={options[key]}
        disabled={!canChange}
        onInput={(e) =>
          setOptions({ ...options, [key]: e.currentTarget.value })}
      />
    </Field>
  );
  // Reasons for fields this form has no input for (a kind's option it does not show) are listed apart.
  const shown = ["label_selector", "targets", "node_ids", "kind", kind?.name === "k3s" ? "k3s" : "gloeth"];
  const unowned = [...errors.fields].filter(([field]) =>
    !shown.some((s) => field === s || field.startsWith(`${s}.`) || field.startsWith(`${s}[`))
  );

  return (
    <section data-view="new-deployment" aria-label="New deployment">
      <form
        class="form deploy-form"
        aria-label="Deployment"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (canChange) void start(true);
        }}
      >
        <TargetPicker
          selector={selector}
          onSelector={(value) => setQuery({ selector: value }, { replace: true })}
          preview={preview}
          excluded={excluded}
          onExcluded={setExcluded}
          disabled={!canChange}
          selectorError={error("label_selector")}
          targetsError={[error("targets"), error("node_ids")].filter(Boolean).join("; ") || undefined}
        />
        <p class="muted" data-field="ssh-hint">
          Each node is reached at its address as {settings.defaultSshUser} (label a node{" "}
          <code>{settings.sshUserLabel}=…</code>{" "}
          for another user) with this service's key: put it in the hosts' authorized_keys, see{" "}
          <a href={routeHref(["deployers", "ssh"])}>SSH access</a>.
        </p>
        {kind && (
          <KindPicker
            kinds={settings.kinds}
            kind={kind}
            error={error("kind")}
            disabled={!canChange}
            // The other kind's reasons would have no field left to stand beside.
            onKind={() => setErrors(noErrors)}
          />
        )}
        {kind?.name === "gloeth" && (
          <>
            {settings.releaseError
              ? (
                <p class="notice" data-field="release" role="status">
                  No gloeth release to deploy: {settings.releaseError}. Runs will fail until there is one.
                </p>
              )
              : (
                <p class="muted" data-field="release">
                  gloeth {settings.releaseVersion} for {settings.releaseArchitectures.join(", ")}
                </p>
              )}
            <div class="row">
              {text(
                "overlayNetwork",
                "Overlay network",
                "gloeth.overlay_network",
                "each host keeps its overlay address from one deployment to the next",
                settings.defaultOverlayNetwork,
              )}
              {text("linkPort", "Link port", "gloeth.link_port", "empty: gloeth's default")}
            </div>
            {text(
              "dialOnlySelector",
              "Dial-only hosts",
              "gloeth.dial_only_selector",
              "hosts with these labels only dial out (behind NAT); empty: every host accepts links",
            )}
          </>
        )}
        {kind?.name === "k3s" && (
          <>
            {text(
              "serverSelector",
              "Servers",
              "k3s.server_selector",
              "targets with these labels are servers (the first by name starts the cluster); the rest agents",
            )}
            <div class="row">
              {text(
                "version",
                "k3s version",
                "k3s.version",
                "e.g. v1.31.4+k3s1; empty: the deployer's default",
              )}
              {text("cluster", "Cluster name", "k3s.cluster", "names the kubeconfig's cluster", "ctpf")}
            </div>
            {text(
              "overlayNetwork",
              "Overlay network",
              "k3s.overlay_network",
              "the gloeth network the nodes are on: their addresses there become each node's IP",
              settings.defaultOverlayNetwork,
            )}
          </>
        )}
        {errors.general && <p class="error" role="alert">{errors.general}</p>}
        {unowned.map(([field, message]) => <p key={field} class="error" role="alert">{field}: {message}</p>)}
        {canChange
          ? (
            <div class="actions">
              <button type="submit" disabled={busy || !ready || !kind?.available}>Plan</button>
              <button
                type="button"
                class="run"
                disabled={busy || !ready || !kind?.available}
                onClick={() => void start(false)}
              >
                Run
              </button>
              <small class="muted">Plan only looks and says what a run would change.</small>
            </div>
          )
          : <p class="muted">Planning and running deployments take an admin; this sign-in may only look.</p>}
      </form>
    </section>
  );
}

/** The deployers this binary has; one it cannot run yet is offered greyed, with the reason. */
function KindPicker(
  props: { kinds: DeployKind[]; kind: DeployKind; error?: string; disabled: boolean; onKind: () => void },
) {
  return (
    <Field label="Deployer" name="kind" error={props.error} group>
      <span class="kinds">
        {props.kinds.map((k) => (
          <label key={k.name} class={k.available ? "kind" : "kind unavailable"} data-kind={k.name}>
            <input
              type="radio"
              name="kind"
              value={k.name}
              checked={k.name === props.kind.name}
              disabled={!k.available || props.disabled}
              onChange={() => {
                props.onKind();
                setQuery({ kind: k.name }, { replace: true });
              }}
            />{" "}
            <strong>{k.title}</strong>{" "}
            <small class="muted">{k.available ? k.description : k.unavailableReason}</small>
          </label>
        ))}
      </span>
    </Field>
  );
}
