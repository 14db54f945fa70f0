import { Code, ConnectError } from "@connectrpc/connect";
import { assert, assertEquals } from "../testing/assert.ts";
import { FileOperationError } from "../bofied/files.ts";
import { JailError } from "../bofied/jail.ts";
import { InputError } from "../errors/input_error.ts";
import { LiwascInputError } from "../liwasc/input_error.ts";
import { ConfigInvalid } from "../necon/config.ts";
import { AddressSyntaxError } from "../net/errors.ts";
import { HubFullError } from "../stream/hub.ts";
import { connectErrorOf } from "./domain_errors.ts";
import { FieldViolationsSchema } from "./gen/ctpf/v1/errors_pb.ts";

function mapped(error: unknown): ConnectError {
  const result = connectErrorOf(error);
  assert(result instanceof ConnectError, `${error} was not mapped`);
  return result;
}

Deno.test("domain errors: each kind has its code and keeps its message", () => {
  const cases: [unknown, Code, string][] = [
    [new InputError("port", "from 1 to 65535"), Code.InvalidArgument, "port: from 1 to 65535"],
    [new LiwascInputError("id", "no scan or wake x", "not-found"), Code.NotFound, "id: no scan or wake x"],
    [new LiwascInputError("interface", "none configured", "precondition"), Code.FailedPrecondition, ""],
    [new AddressSyntaxError("MAC address", "zz", "expected hex"), Code.InvalidArgument, ""],
    [
      new JailError("../etc", '".." is not allowed'),
      Code.PermissionDenied,
      'refused: "../etc": ".." is not allowed',
    ],
    [new FileOperationError("not-found", "/a: no such file"), Code.NotFound, "/a: no such file"],
    [new FileOperationError("exists", "/a exists"), Code.AlreadyExists, "/a exists"],
    [new FileOperationError("invalid", "/a is a directory"), Code.FailedPrecondition, "/a is a directory"],
    [new FileOperationError("too-large", "/a is over"), Code.OutOfRange, "/a is over"],
    [new Deno.errors.NotFound("gone"), Code.NotFound, "no such file or directory"],
    [new HubFullError(64), Code.ResourceExhausted, "too many open streams (limit 64)"],
  ];
  for (const [error, code, message] of cases) {
    const connect = mapped(error);
    assertEquals(Code[connect.code], Code[code], String(error));
    assertEquals(connect.rawMessage, message || (error as Error).message);
  }
});

Deno.test("domain errors: an invalid configuration carries its field violations", () => {
  const connect = mapped(
    new ConfigInvalid([
      { field: "subnets[0].cidr", message: "not a CIDR" },
      { field: "interfaces[1]", message: "listed twice" },
    ]),
  );
  assertEquals(connect.code, Code.InvalidArgument);
  assertEquals(connect.rawMessage, "subnets[0].cidr: not a CIDR; interfaces[1]: listed twice");
  const [details] = connect.findDetails(FieldViolationsSchema);
  assertEquals(details.violations.map((v) => [v.field, v.description]), [
    ["subnets[0].cidr", "not a CIDR"],
    ["interfaces[1]", "listed twice"],
  ]);
});

Deno.test("domain errors: ConnectErrors and unknown errors pass through unchanged", () => {
  const chosen = new ConnectError("no lease for 10.0.0.1", Code.NotFound);
  assert(connectErrorOf(chosen) === chosen);
  const bug = new TypeError("cannot read x of undefined");
  assert(connectErrorOf(bug) === bug);
});
