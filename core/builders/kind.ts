// A builder kind: what a build of that kind takes (its parameter schema) and how its parameters become
// a BuildKit job (a Dockerfile and context files). The engine knows nothing of any one kind.
import { type FieldError, FieldErrors } from "../errors/field_errors.ts";
import type { BaseImage } from "./base_images.ts";

export type ParameterValue = string | string[];
export type Parameters = Record<string, ParameterValue>;

export interface ParameterField {
  name: string;
  title: string;
  description: string;
  /**
   * "choice": one of `choices`; "choices": a list of distinct `choices`; "string": free text on one line;
   * "text": free text of several lines (a form shows a text area), checked like "string".
   */
  type: "string" | "text" | "choice" | "choices";
  required?: boolean;
  default?: ParameterValue;
  choices?: string[];
  /** Free text must match this whole (it goes into generated scripts: no line breaks, no quotes). */
  pattern?: RegExp;
  /** What the pattern asks for, in words, for the error beside the field. */
  patternHint?: string;
  maxLength?: number;
}

export interface ContextFile {
  name: string;
  content: Uint8Array;
  mode?: number;
}

/** What a build runs: the Dockerfile's last stage holds the artifacts under `/out`. */
export interface BuildTemplate {
  dockerfile: string;
  files: ContextFile[];
}

export interface BuilderKind {
  name: string;
  title: string;
  description: string;
  fields: ParameterField[];
  /** Base images the Dockerfile starts FROM (by their tag); made from debootstrap before the build runs. */
  baseImages: BaseImage[];
  /** Checks across fields, after each field passed its own checks. */
  check?(parameters: Parameters): FieldError[];
  template(parameters: Parameters): BuildTemplate;
  /** The folder of bofied's boot tree the artifacts are published into. */
  publishFolder(parameters: Parameters, buildId: string): string;
}

/**
 * The parameters as the kind's schema has them: defaults filled, unknown names, wrong types, values
 * outside the choices and text not matching refused — every wrong field named at once (`parameters.x`).
 */
export function checkParameters(kind: BuilderKind, raw: unknown): Parameters {
  const errors: FieldError[] = [];
  const at = (name: string) => `parameters.${name}`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new FieldErrors([{ field: "parameters", message: "must be an object of named values" }]);
  }
  const given = raw as Record<string, unknown>;
  const known = new Set(kind.fields.map((f) => f.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) errors.push({ field: at(name), message: `${kind.name} has no parameter ${name}` });
  }
  const parameters: Parameters = {};
  for (const field of kind.fields) {
    const value = given[field.name] ?? field.default;
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
      if (field.required) errors.push({ field: at(field.name), message: "required" });
      continue;
    }
    const fieldErrors = checkField(field, value);
    errors.push(...fieldErrors.map((e) => ({ field: `${at(field.name)}${e.suffix}`, message: e.message })));
    if (fieldErrors.length === 0) parameters[field.name] = value as ParameterValue;
  }
  if (errors.length === 0) errors.push(...(kind.check?.(parameters) ?? []));
  if (errors.length) throw new FieldErrors(errors);
  return parameters;
}

function checkField(field: ParameterField, value: unknown): { suffix: string; message: string }[] {
  if (field.type === "choices") {
    if (!Array.isArray(value)) return [{ suffix: "", message: "must be a list" }];
    const errors: { suffix: string; message: string }[] = [];
    value.forEach((item, i) => {
      if (typeof item !== "string" || !field.choices!.includes(item)) {
        errors.push({ suffix: `[${i}]`, message: `must be one of ${field.choices!.join(", ")}` });
      } else if (value.indexOf(item) !== i) {
        errors.push({ suffix: `[${i}]`, message: `${item} is listed twice` });
      }
    });
    return errors;
  }
  if (typeof value !== "string") return [{ suffix: "", message: "must be text" }];
  if (field.type === "choice" && !field.choices!.includes(value)) {
    return [{ suffix: "", message: `must be one of ${field.choices!.join(", ")}` }];
  }
  if (field.maxLength !== undefined && value.length > field.maxLength) {
    return [{ suffix: "", message: `at most ${field.maxLength} characters` }];
  }
  if (field.pattern && !field.pattern.test(value)) {
    return [{ suffix: "", message: field.patternHint ?? `must match ${field.pattern.source}` }];
  }
  return [];
}
