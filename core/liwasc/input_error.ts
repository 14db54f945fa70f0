import { InputError } from "../errors/input_error.ts";

/** A request liwasc cannot carry out as asked, naming the field at fault (the API turns it into a code). */
export class LiwascInputError extends InputError {
  constructor(field: string, reason: string, kind: InputError["kind"] = "invalid") {
    super(field, reason, kind);
    this.name = "LiwascInputError";
  }
}
