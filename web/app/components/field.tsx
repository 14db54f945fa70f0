import type { ComponentChildren } from "preact";

/**
 * One labelled input with its error beside it: the API's reason for this field, linked to the input for
 * screen readers. `name` is the API's field path, kept on the element so tests and people can find it.
 */
export function Field(
  props: {
    label: string;
    name: string;
    error?: string;
    hint?: string;
    /** The input brings its own labels (a fieldset of radio buttons): wrap in a group, not a label. */
    group?: boolean;
    children: ComponentChildren;
  },
) {
  const errorId = `error-${props.name.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
  const inner = (
    <>
      <span class="label">{props.label}</span>
      {props.children}
      {props.hint && !props.error && <small class="muted">{props.hint}</small>}
      {props.error && <small class="error field-error" id={errorId} role="alert">{props.error}</small>}
    </>
  );
  const state = props.error ? "field invalid" : "field";
  return props.group
    ? <div class={state} data-field-name={props.name} role="group" aria-label={props.label}>{inner}</div>
    : <label class={state} data-field-name={props.name}>{inner}</label>;
}
