import type { FieldError } from "../errors/field_errors.ts";

// Labels are key=value pairs a node carries ("rack=a", "role=worker"); a selector picks nodes by them.

const keyPattern = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,62})$/;
const valuePattern = /^[A-Za-z0-9._-]{0,63}$/;

/** The wrong keys and values of `labels`, each under `field.<key>`. */
export function labelErrors(labels: Record<string, string>, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (!keyPattern.test(key)) {
      errors.push({
        field: `${field}.${key}`,
        message: "a label key is 1-63 letters, digits or . _ / - and starts with a letter or digit",
      });
    } else if (!valuePattern.test(value)) {
      errors.push({
        field: `${field}.${key}`,
        message: "a label value is up to 63 letters, digits or . _ -",
      });
    }
  }
  return errors;
}

type Term =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "exists" | "absent" };

export interface LabelSelector {
  text: string;
  terms: Term[];
}

/**
 * Parses "rack=a,role!=spare,gpu,!retired": equal, not equal, has the key, lacks the key; all must hold.
 * An empty selector matches every node. Returns a reason instead of a selector when the text is wrong.
 */
export function parseSelector(text: string): LabelSelector | { error: string } {
  const terms: Term[] = [];
  for (const raw of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const match = /^(!?)([^=!]+?)\s*(?:(==|=|!=)\s*(.*))?$/.exec(raw);
    if (!match) return { error: `"${raw}" is not key=value, key!=value, key or !key` };
    const [, negated, key, op, value] = match;
    if (!keyPattern.test(key)) return { error: `"${key}" is not a label key` };
    if (op === undefined) {
      terms.push({ key, op: negated ? "absent" : "exists" });
      continue;
    }
    if (negated) return { error: `"${raw}": "!" goes only before a bare key` };
    if (!valuePattern.test(value)) return { error: `"${value}" is not a label value` };
    terms.push({ key, op: op === "!=" ? "!=" : "=", value });
  }
  return { text, terms };
}

export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  return selector.terms.every((term) => {
    const has = Object.hasOwn(labels, term.key);
    switch (term.op) {
      case "exists":
        return has;
      case "absent":
        return !has;
      case "=":
        return has && labels[term.key] === term.value;
      case "!=":
        return !has || labels[term.key] !== term.value;
    }
  });
}
