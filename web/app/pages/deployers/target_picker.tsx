import { useEffect, useState } from "preact/hooks";
import type { DeployTarget } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { Field } from "../../components/field.tsx";
import { submitErrorsOf } from "../../components/field_errors.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { routeHref } from "../../route.ts";
import { deployApi } from "./api.ts";

/** "rack=a, role=worker" (a bare key has an empty value). */
const labelsText = (labels: Record<string, string>) =>
  Object.entries(labels).map(([k, v]) => v ? `${k}=${v}` : k).join(", ");

/** What the selector matches now, or why it matches nothing; refreshed while the view is open. */
interface Preview {
  /** The selector these targets are for (an answer to an older selector is not shown as current). */
  selector: string;
  targets: DeployTarget[];
  error: string | null;
}

/**
 * nodin's nodes matching `selector` as the user types it (a quarter second after the last key, then
 * every 5 s, so nodes a cloud sync or a lease adds show up), with the selector's error from the API.
 */
export function useTargetPreview(selector: string): Preview | null {
  const [preview, setPreview] = useState<Preview | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = () =>
      deployApi().listTargets({ labelSelector: selector }).then(
        (r) => !stopped && setPreview({ selector, targets: r.targets, error: null }),
        (e) => {
          if (stopped) return;
          const errors = submitErrorsOf(e);
          const error = errors.fields.get("label_selector") ?? errors.general ??
            [...errors.fields.values()].join("; ");
          setPreview({ selector, targets: [], error });
        },
      );
    const first = setTimeout(load, 250);
    const every = setInterval(load, 5000);
    return () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
    };
  }, [selector]);
  return preview;
}

/**
 * The targets a deployment gets: every usable node the selector matches is ticked; untick one to leave
 * it out. An unusable node (no address, retired …) is listed greyed with the reason and cannot be ticked.
 */
export function TargetPicker(props: {
  selector: string;
  onSelector: (selector: string) => void;
  preview: Preview | null;
  excluded: Set<string>;
  onExcluded: (excluded: Set<string>) => void;
  selectorError?: string;
  targetsError?: string;
  disabled?: boolean;
}) {
  const { preview, excluded } = props;
  const targets = preview?.targets ?? [];
  const usable = targets.filter((t) => t.usable);
  const chosen = usable.filter((t) => !excluded.has(t.nodeId));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(excluded);
    if (on) next.delete(id);
    else next.add(id);
    props.onExcluded(next);
  };
  const columns: Column<DeployTarget>[] = [
    {
      key: "pick",
      title: "",
      render: (t) => (
        <input
          type="checkbox"
          name="node_ids"
          value={t.nodeId}
          aria-label={`Deploy to ${t.nodeName}`}
          disabled={!t.usable || props.disabled}
          checked={t.usable && !excluded.has(t.nodeId)}
          onChange={(e) => toggle(t.nodeId, e.currentTarget.checked)}
        />
      ),
    },
    {
      key: "name",
      title: "Node",
      sortValue: (t) => t.nodeName,
      render: (t) => (
        <>
          <a href={routeHref(["nodin", "nodes", t.nodeId])}>{t.nodeName}</a>
          {t.hostName !== t.nodeName && <small class="muted host-name">as {t.hostName}</small>}
        </>
      ),
    },
    { key: "address", title: "Address", sortValue: (t) => t.address, render: (t) => t.address },
    { key: "user", title: "SSH user", sortValue: (t) => t.sshUser, render: (t) => t.sshUser },
    {
      key: "arch",
      title: "Machine",
      sortValue: (t) => t.architecture,
      render: (t) => t.architecture || <span class="muted">on contact</span>,
    },
    { key: "provider", title: "Provider", sortValue: (t) => t.provider, render: (t) => t.provider },
    { key: "labels", title: "Labels", render: (t) => <span class="labels">{labelsText(t.labels)}</span> },
    {
      key: "usable",
      title: "Usable",
      sortValue: (t) => Number(t.usable),
      render: (t) =>
        t.usable ? <span class="badge on">yes</span> : (
          <span class="unusable">
            <span class="badge warn">no</span> {t.unusableReason}
          </span>
        ),
    },
  ];
  const stale = preview !== null && preview.selector !== props.selector;
  return (
    <>
      <Field
        label="Targets: nodin's nodes with these labels"
        name="label_selector"
        error={props.selectorError ?? preview?.error ?? undefined}
        hint='as nodin selects: "rack=a,role!=spare,gpu"; empty: every node'
      >
        <input
          name="label_selector"
          autoComplete="off"
          spellcheck={false}
          placeholder="every node"
          value={props.selector}
          onInput={(e) => props.onSelector(e.currentTarget.value)}
        />
      </Field>
      <Field label="Matching nodes" name="targets" error={props.targetsError} group>
        <p class="muted" data-field="chosen" aria-live="polite">
          {preview === null || stale
            ? "Looking…"
            : `${chosen.length} of ${targets.length} matching node${targets.length === 1 ? "" : "s"} chosen` +
              (usable.length < targets.length ? ` (${targets.length - usable.length} unusable)` : "")}
        </p>
        <SortableTable
          label="Targets"
          name="targets"
          rows={targets}
          columns={columns}
          rowKey={(t) => t.nodeId}
          rowProps={(t) => ({
            "data-node": t.nodeId,
            "data-host": t.hostName,
            "data-usable": String(t.usable),
            class: t.usable ? undefined : "unusable",
          })}
          defaultSort="name"
          empty={preview === null ? "Loading…" : "No node matches: nodin has none with these labels."}
        />
      </Field>
    </>
  );
}

/**
 * The targets as StartDeployment takes them: the selector alone when every node it matches is usable and
 * ticked (the deployment then records the selector), otherwise the ticked nodes by id.
 */
export function targetsRequest(
  selector: string,
  preview: Preview | null,
  excluded: Set<string>,
): { labelSelector: string; nodeIds: string[] } {
  const targets = preview?.targets ?? [];
  const chosen = targets.filter((t) => t.usable && !excluded.has(t.nodeId)).map((t) => t.nodeId);
  if (selector.trim() && preview?.selector === selector && chosen.length === targets.length) {
    return { labelSelector: selector.trim(), nodeIds: [] };
  }
  return { labelSelector: "", nodeIds: chosen };
}
