/**
 * A request a service cannot carry out as asked, naming the field at fault. Services throw it from their
 * own logic; the API turns `kind` into a status code (core/api/domain_errors.ts), so no handler has to.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly kind: "invalid" | "not-found" | "precondition" = "invalid",
  ) {
    super(`${field}: ${reason}`);
    this.name = "InputError";
  }
}
