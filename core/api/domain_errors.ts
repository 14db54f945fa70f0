import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { FieldErrors } from "../errors/field_errors.ts";
import { FileOperationError } from "../errors/file_operation_error.ts";
import { InputError } from "../errors/input_error.ts";
import { RefusedError } from "../errors/refused_error.ts";
import { AddressSyntaxError } from "../net/errors.ts";
import { HubFullError } from "../stream/hub.ts";
import { FieldViolationsSchema } from "./gen/ctpf/v1/errors_pb.ts";

const inputCodes: Record<InputError["kind"], Code> = {
  invalid: Code.InvalidArgument,
  "not-found": Code.NotFound,
  precondition: Code.FailedPrecondition,
};

const fileCodes: Record<FileOperationError["code"], Code> = {
  "not-found": Code.NotFound,
  exists: Code.AlreadyExists,
  invalid: Code.FailedPrecondition,
  "too-large": Code.OutOfRange,
};

/**
 * The status code (and details) a client sees for an error a service's own logic threw. Services throw
 * their domain errors and never translate them; this is the one place that does, for every RPC. Anything
 * not listed (a ConnectError a handler chose itself, or a bug) passes through unchanged: Connect then sends
 * a ConnectError as it is and anything else as UNKNOWN.
 */
export function connectErrorOf(error: unknown): unknown {
  if (error instanceof ConnectError) return error;
  if (error instanceof FieldErrors) {
    // Clients show each wrong field beside its input: the violations travel as a typed detail.
    const violations = create(FieldViolationsSchema, {
      violations: error.errors.map((e) => ({ field: e.field, description: e.message })),
    });
    return new ConnectError(error.message, Code.InvalidArgument, undefined, [
      { desc: FieldViolationsSchema, value: violations },
    ]);
  }
  if (error instanceof InputError) return new ConnectError(error.message, inputCodes[error.kind]);
  if (error instanceof AddressSyntaxError) return new ConnectError(error.message, Code.InvalidArgument);
  // A name that would leave a served tree is the caller's fault and a refusal, never an internal error.
  if (error instanceof RefusedError) {
    return new ConnectError(`refused: ${error.message}`, Code.PermissionDenied);
  }
  if (error instanceof FileOperationError) return new ConnectError(error.message, fileCodes[error.code]);
  // A file that vanished between a check and its use.
  if (error instanceof Deno.errors.NotFound) {
    return new ConnectError("no such file or directory", Code.NotFound);
  }
  // Open streams are bounded per hub; the caller may retry once another stream ends.
  if (error instanceof HubFullError) return new ConnectError(error.message, Code.ResourceExhausted);
  return error;
}
