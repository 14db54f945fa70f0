/** A request liwasc cannot carry out as asked, naming the field at fault (the API turns it into a code). */
export class LiwascInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly kind: "invalid" | "not-found" | "precondition" = "invalid",
  ) {
    super(`${field}: ${reason}`);
    this.name = "LiwascInputError";
  }
}
