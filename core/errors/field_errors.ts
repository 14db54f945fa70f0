/** One wrong field of a submitted configuration or settings object, by its path ("subnets[0].cidr"). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * A whole submission refused, with every wrong field named: the API sends them as FieldViolations so a
 * page shows each reason beside its input (core/api/domain_errors.ts). Services subclass or throw it.
 */
export class FieldErrors extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join("; "));
    this.name = "FieldErrors";
  }
}
