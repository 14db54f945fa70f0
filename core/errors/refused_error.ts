/**
 * A request refused on principle (a name that would leave a served tree, …): the caller's fault and never
 * an internal error. The API answers PERMISSION_DENIED.
 */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}
