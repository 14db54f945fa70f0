import { Field } from "../../components/field.tsx";

/** A Field with a text input named by its API path, so each reason from the server lands beside it. */
export function TextField(props: {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
  placeholder?: string;
  disabled?: boolean;
}) {
  return (
    <Field label={props.label} name={props.name} error={props.error} hint={props.hint}>
      <input
        name={props.name}
        type="text"
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
      />
    </Field>
  );
}

/** Rows the user adds and removes (pools, custom options), each rendered by `row`. */
export function RowList<T>(props: {
  legend: string;
  rows: T[];
  onChange: (rows: T[]) => void;
  blank: () => T;
  addLabel: string;
  row: (value: T, index: number, update: (value: T) => void) => preact.ComponentChildren;
  /** The reason the row as a whole was refused ("start is after end"). */
  rowError?: (index: number) => string | undefined;
}) {
  const { rows, onChange } = props;
  return (
    <fieldset class="rows" aria-label={props.legend}>
      <legend>{props.legend}</legend>
      {rows.map((value, index) => (
        <div class="row-item" key={index} data-row={index}>
          <div class="row">
            {props.row(value, index, (next) => onChange(rows.map((r, i) => i === index ? next : r)))}
          </div>
          {props.rowError?.(index) && (
            <small class="error field-error" role="alert">{props.rowError(index)}</small>
          )}
          <button type="button" class="remove" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, props.blank()])}>{props.addLabel}</button>
    </fieldset>
  );
}
