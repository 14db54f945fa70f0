import { ConnectError } from "@connectrpc/connect";
import { FieldViolationsSchema } from "../../../core/api/gen/ctpf/v1/errors_pb.ts";

/**
 * What a refused submission says, split for a form: each field's reason (to show beside its input) and
 * the message for everything no input owns. Field paths are the API's ("subnets[0].pools[1].start").
 */
export interface SubmitErrors {
  fields: Map<string, string>;
  general: string | null;
}

export const noErrors: SubmitErrors = { fields: new Map(), general: null };

export function submitErrorsOf(error: unknown): SubmitErrors {
  const connect = ConnectError.from(error);
  const fields = new Map<string, string>();
  for (const detail of connect.findDetails(FieldViolationsSchema)) {
    for (const violation of detail.violations) {
      fields.set(
        violation.field,
        [fields.get(violation.field), violation.description].filter(Boolean).join("; "),
      );
    }
  }
  return { fields, general: fields.size ? null : connect.rawMessage };
}

/** The reasons for `field` and anything below it ("subnets[0]" also collects "subnets[0].cidr"). */
export function errorsUnder(errors: SubmitErrors, field: string): string[] {
  return [...errors.fields].filter(([path]) =>
    path === field || path.startsWith(`${field}.`) ||
    path.startsWith(`${field}[`)
  ).map(([path, message]) =>
    // "subnets[0].cidr" under "subnets[0]" reads "cidr: …"; "routers[1]" under "routers" reads "[1]: …".
    path === field ? message : `${path.slice(field.length).replace(/^\./, "")}: ${message}`
  );
}
