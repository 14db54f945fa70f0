import { InputError } from "../errors/input_error.ts";
import { parseSelector, selects } from "./labels.ts";
import type { NodeRecord } from "./model.ts";

export interface NodeFilter {
  /** A label selector ("rack=a,!spare"). */
  labelSelector?: string;
  /** Any of these life-cycle states (none: all). */
  lifecycles?: string[];
  /** Any of these observed power states (none: all). */
  power?: string[];
  /** Seen by this source ("necon", "liwasc", "bofied", "api"). */
  source?: string;
  /** Text in the id, name, a MAC, an address, a label or the provider reference (any case). */
  text?: string;
}

/** The filter as a predicate; a selector that does not parse is refused naming `label_selector`. */
export function nodePredicate(filter: NodeFilter): (node: NodeRecord) => boolean {
  const selector = parseSelector(filter.labelSelector ?? "");
  if ("error" in selector) throw new InputError("label_selector", selector.error);
  const lifecycles = filter.lifecycles ?? [];
  const power = filter.power ?? [];
  const text = (filter.text ?? "").trim().toLowerCase();
  return (node) =>
    selects(selector, node.labels) &&
    (lifecycles.length === 0 || lifecycles.includes(node.lifecycle)) &&
    (power.length === 0 || power.includes(node.observedPower.state)) &&
    (!filter.source || node.sources.some((s) => s.source === filter.source)) &&
    (!text || [
      node.id,
      node.name,
      node.providerRef,
      ...node.macs,
      ...node.addresses,
      ...Object.entries(node.labels).map(([k, v]) => `${k}=${v}`),
    ].some((field) => field.toLowerCase().includes(text)));
}
