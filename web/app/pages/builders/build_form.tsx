import { useState } from "preact/hooks";
import type { JsonObject } from "@bufbuild/protobuf";
import type { Build, BuilderKind, BuilderParameter } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import { Field } from "../../components/field.tsx";
import { noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { buildHref } from "./api.ts";

/** The form's values by parameter name: text or one choice as a string, several choices as a list. */
export type Draft = Record<string, string | string[]>;

/**
 * A kind's defaults, or (for a rebuild) what a build had: the server stored every parameter it used, so
 * one the build lacks was left empty.
 */
export function draftOf(kind: BuilderKind, built?: JsonObject): Draft {
  const draft: Draft = {};
  for (const parameter of kind.parameters) {
    const value = built ? built[parameter.name] : undefined;
    if (parameter.type === "choices") {
      const defaults = built ? [] : parameter.defaultValues;
      draft[parameter.name] = Array.isArray(value) ? value.map(String) : [...defaults];
    } else {
      draft[parameter.name] = typeof value === "string"
        ? value
        : built
        ? ""
        : parameter.defaultValues[0] ?? "";
    }
  }
  return draft;
}

const pathOf = (name: string) => `parameters.${name}`;

/**
 * A build's parameters as a form generated from the kind's schema: text, one choice or several, each
 * with the API's reasons beside it. The draft goes to the API as typed: the kind's checks are the
 * server's, so a form never disagrees with them. On success the page moves to the new build.
 */
export function BuildForm(props: {
  kind: BuilderKind;
  initial: Draft;
  submitLabel: string;
  submit: (parameters: Draft) => Promise<Build>;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [errors, setErrors] = useState<{ reasons: SubmitErrors; sent: Draft }>({
    reasons: noErrors,
    sent: {},
  });
  const [busy, setBusy] = useState(false);

  async function send(event: Event) {
    event.preventDefault();
    setBusy(true);
    try {
      const build = await props.submit(draft);
      location.hash = buildHref(build.id);
    } catch (e) {
      setErrors({ reasons: submitErrorsOf(e), sent: draft });
    } finally {
      setBusy(false);
    }
  }

  // A choice list's reasons name the position sent ("parameters.targets[1]"): say the choice instead.
  const reasonsFor = (name: string) => {
    const path = pathOf(name);
    const sent = errors.sent[name];
    return [...errors.reasons.fields].flatMap(([field, message]) => {
      if (field === path) return [message];
      const item = /^\[(\d+)\]/.exec(field.slice(path.length));
      if (!field.startsWith(path) || !item) return [];
      return [`${Array.isArray(sent) ? sent[Number(item[1])] : field}: ${message}`];
    }).join("; ") || undefined;
  };
  const owned = (field: string) =>
    props.kind.parameters.some((p) => field === pathOf(p.name) || field.startsWith(`${pathOf(p.name)}[`));
  const unowned = [...errors.reasons.fields].filter(([field]) => !owned(field));

  return (
    <form class="form build-form" aria-label={`${props.kind.title} build`} onSubmit={send} noValidate>
      {props.kind.parameters.map((parameter) => (
        <ParameterInput
          key={parameter.name}
          parameter={parameter}
          value={draft[parameter.name]}
          error={reasonsFor(parameter.name)}
          onChange={(value) => setDraft({ ...draft, [parameter.name]: value })}
        />
      ))}
      {errors.reasons.general && <p class="error" role="alert">{errors.reasons.general}</p>}
      {unowned.map(([field, message]) => <p key={field} class="error" role="alert">{field}: {message}</p>)}
      <div class="actions">
        <button type="submit" disabled={busy}>{props.submitLabel}</button>
      </div>
    </form>
  );
}

function ParameterInput(props: {
  parameter: BuilderParameter;
  value: string | string[];
  error?: string;
  onChange: (value: string | string[]) => void;
}) {
  const { parameter } = props;
  const name = pathOf(parameter.name);
  const label = parameter.required ? `${parameter.title} (required)` : parameter.title;
  const hint = [parameter.description, parameter.patternHint].filter(Boolean).join(" — ");
  if (parameter.type === "choices") {
    const chosen = Array.isArray(props.value) ? props.value : [];
    return (
      <Field label={label} name={name} error={props.error} hint={parameter.description} group>
        <span class="choices">
          {parameter.choices.map((choice) => (
            <label key={choice} class="choice">
              <input
                type="checkbox"
                name={name}
                value={choice}
                checked={chosen.includes(choice)}
                onChange={(e) =>
                  props.onChange(
                    e.currentTarget.checked
                      ? parameter.choices.filter((c) => c === choice || chosen.includes(c))
                      : chosen.filter((c) => c !== choice),
                  )}
              />{" "}
              {choice}
            </label>
          ))}
        </span>
      </Field>
    );
  }
  if (parameter.type === "choice") {
    return (
      <Field label={label} name={name} error={props.error} hint={parameter.description}>
        <select
          name={name}
          value={String(props.value)}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          {!parameter.required && !parameter.defaultValues.length && <option value="">none</option>}
          {parameter.choices.map((choice) => <option key={choice} value={choice}>{choice}</option>)}
        </select>
      </Field>
    );
  }
  const textInput = {
    name,
    autoComplete: "off",
    spellcheck: false,
    "aria-required": parameter.required,
    value: String(props.value),
    onInput: (e: Event) => props.onChange((e.currentTarget as HTMLInputElement).value),
  };
  if (parameter.type === "text") {
    return (
      <Field label={label} name={name} error={props.error} hint={hint}>
        <textarea
          rows={6}
          {...textInput}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      </Field>
    );
  }
  return (
    <Field label={label} name={name} error={props.error} hint={hint}>
      {
        // A secret is never shown: a rebuild's form holds "(hidden)", which keeps the old value.
        parameter.secret ? <input type="password" {...textInput} /> : <input {...textInput} />
      }
    </Field>
  );
}
