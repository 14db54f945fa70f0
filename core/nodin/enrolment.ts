import { type FieldError, FieldErrors } from "../errors/field_errors.ts";
import { labelErrors, parseSelector, selects } from "./labels.ts";
import type { EnrolmentRule, NodeRecord } from "./model.ts";

/** "02:00:00", "02-00-00", "020000" → "020000": MACs and prefixes compare as bare hex. */
export function macHex(text: string): string {
  return text.toLowerCase().replace(/[:.-]/g, "");
}

/** Refuses a rule field by field; a rule must say at least one thing a node has to match. */
export function checkRule(rule: EnrolmentRule, field = "rule"): EnrolmentRule {
  const errors: FieldError[] = [];
  if (!rule.name.trim()) errors.push({ field: `${field}.name`, message: "give the rule a name" });
  if (!Number.isInteger(rule.priority) || Math.abs(rule.priority) > 1_000_000) {
    errors.push({ field: `${field}.priority`, message: "a whole number up to ±1000000" });
  }
  rule.macPrefixes.forEach((prefix, i) => {
    const hex = macHex(prefix);
    if (!/^[0-9a-f]{1,12}$/.test(hex) || !/^[0-9a-fA-F]{1,2}([:-]?[0-9a-fA-F]{1,2})*$/.test(prefix)) {
      errors.push({
        field: `${field}.mac_prefixes[${i}]`,
        message: `"${prefix}" is not a MAC or a prefix of one, like 02:00:00`,
      });
    }
  });
  rule.pxeArchitectures.forEach((arch, i) => {
    if (!Number.isInteger(arch) || arch < 0 || arch > 0xffff) {
      errors.push({ field: `${field}.pxe_architectures[${i}]`, message: "a PXE architecture type, 0-65535" });
    }
  });
  const selector = parseSelector(rule.labelSelector);
  if ("error" in selector) errors.push({ field: `${field}.label_selector`, message: selector.error });
  errors.push(...labelErrors(rule.setLabels, `${field}.set_labels`));
  if (rule.macPrefixes.length === 0 && rule.pxeArchitectures.length === 0 && !rule.labelSelector.trim()) {
    errors.push({
      field: `${field}.mac_prefixes`,
      message: "a rule needs a MAC prefix, a PXE architecture or a label selector to match on",
    });
  }
  if (errors.length) throw new FieldErrors(errors);
  return rule;
}

/** Whether every condition the rule sets holds for the node (conditions left empty do not count). */
export function ruleMatches(rule: EnrolmentRule, node: NodeRecord): boolean {
  if (!rule.enabled) return false;
  if (rule.macPrefixes.length > 0) {
    const macs = node.macs.map(macHex);
    if (!rule.macPrefixes.some((prefix) => macs.some((mac) => mac.startsWith(macHex(prefix))))) return false;
  }
  if (rule.pxeArchitectures.length > 0 && !rule.pxeArchitectures.includes(node.pxeArch)) return false;
  if (rule.labelSelector.trim()) {
    const selector = parseSelector(rule.labelSelector);
    if ("error" in selector || !selects(selector, node.labels)) return false;
  }
  return true;
}

/** The first rule (by priority) that enrols the node, if it is waiting to be enrolled. */
export function enrollingRule(rules: EnrolmentRule[], node: NodeRecord): EnrolmentRule | undefined {
  if (node.lifecycle !== "discovered") return undefined;
  return rules.find((rule) => ruleMatches(rule, node));
}
