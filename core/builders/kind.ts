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
  /** Never echoed by the API (builds show HIDDEN); a rebuild keeps the old value unless given a new one. */
  secret?: boolean;
}

/** What the API shows for a secret parameter's value. */
export const HIDDEN = "(hidden)";

/** The parameters as anyone may see them: secret values replaced by HIDDEN. */
export function withSecretsHidden(kind: BuilderKind | undefined, parameters: Parameters): Parameters {
  const shown = { ...parameters };
  for (const field of kind?.fields ?? []) {
    if (field.secret && shown[field.name] !== undefined) shown[field.name] = HIDDEN;
  }
  return shown;
}

/**
 * A rebuild's parameters: what is given, with each secret the caller left out or sent back as HIDDEN
 * taken from the old build (the caller was never shown it).
 */
export function withSecretsKept(kind: BuilderKind, given: unknown, old: Parameters): unknown {
  if (typeof given !== "object" || given === null || Array.isArray(given)) return given;
  const merged = { ...given as Record<string, unknown> };
  for (const field of kind.fields) {
    if (!field.secret) continue;
    if (
      (merged[field.name] === undefined || merged[field.name] === HIDDEN) && old[field.name] !== undefined
    ) {
      merged[field.name] = old[field.name];
    }
  }
  return merged;
}

export interface ContextFile {
  name: string;
  content: Uint8Array;
  mode?: number;
}

/**
 * A Dockerfile from a kind's build stages, ending in the stage the engine copies artifacts from: an empty
 * image holding only the named stages' /out (so nothing of the toolchain is exported with them).
 */
export function withArtifactStage(lines: string[], stages: string[] = ["build"]): string {
  return [...lines, "FROM scratch", ...stages.map((stage) => `COPY --from=${stage} /out /out`), ""].join(
    "\n",
  );
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
  /**
   * The build's Dockerfile and context. May read inputs first (an index that decides which files the
   * Dockerfile fetches, since RUN steps have no network); `signal` ends such reads when the build is cancelled.
   */
  template(parameters: Parameters, signal?: AbortSignal): BuildTemplate | Promise<BuildTemplate>;
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
