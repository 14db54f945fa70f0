import {
  DHCP_OPTION_CLIENT_ID,
  DHCP_OPTION_END,
  DHCP_OPTION_LEASE_TIME,
  DHCP_OPTION_MAX_MESSAGE_SIZE,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_OVERLOAD,
  DHCP_OPTION_PAD,
  DHCP_OPTION_PARAMETER_REQUEST_LIST,
  DHCP_OPTION_REBINDING_TIME,
  DHCP_OPTION_RELAY_AGENT_INFORMATION,
  DHCP_OPTION_RENEWAL_TIME,
  DHCP_OPTION_REQUESTED_IP,
  DHCP_OPTION_SERVER_ID,
  encodeOptionValue,
} from "../net/dhcp/mod.ts";
import type { Subnet, SubnetInput } from "./config.ts";
import type { Violations } from "./config_checks.ts";
import { subnetOptions } from "./subnet_options.ts";

// Options an operator defines by code, kind and text value, for everything necon has no typed field for.

type CustomOption = Subnet["options"][number];

/** Codes the protocol itself uses in every exchange. */
const protocolCodes = [
  DHCP_OPTION_PAD,
  DHCP_OPTION_REQUESTED_IP,
  DHCP_OPTION_LEASE_TIME,
  DHCP_OPTION_OVERLOAD,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_SERVER_ID,
  DHCP_OPTION_PARAMETER_REQUEST_LIST,
  DHCP_OPTION_MAX_MESSAGE_SIZE,
  DHCP_OPTION_RENEWAL_TIME,
  DHCP_OPTION_REBINDING_TIME,
  DHCP_OPTION_CLIENT_ID,
  DHCP_OPTION_RELAY_AGENT_INFORMATION,
  DHCP_OPTION_END,
];

/** Options the server sets itself; defining them as custom options would fight those. */
const managedCodes: ReadonlySet<number> = new Set([
  ...protocolCodes,
  ...subnetOptions.filter((option) => option.field).map((option) => option.code),
]);

/** Checks each custom option of a subnet (`at` is its field path) by encoding it once. */
export function compileCustomOptions(
  options: SubnetInput["options"],
  at: string,
  checks: Violations,
): CustomOption[] {
  return (options ?? []).map((option, o) => {
    const field = `${at}.options[${o}]`;
    if (!Number.isInteger(option.code) || option.code < 1 || option.code > 254) {
      checks.fail(`${field}.code`, "expected an option code 1..254");
    } else if (managedCodes.has(option.code)) {
      checks.fail(
        `${field}.code`,
        `option ${option.code} is set by necon itself; use the subnet's typed field`,
      );
    } else {
      const problem = encodingProblem(option);
      if (problem) checks.fail(field, problem);
    }
    return { code: option.code, kind: option.kind, value: option.value };
  });
}

/** The subnet's custom option `code` for a reply, if it defines one. */
export function encodeCustomOption(subnet: Subnet, code: number): Uint8Array | undefined {
  const custom = subnet.options.find((option) => option.code === code);
  return custom ? encodeOptionValue(custom.kind as never, custom.value) : undefined;
}

/** Why the option cannot be encoded, naming it; undefined when it can. */
function encodingProblem({ code, kind, value }: CustomOption): string | undefined {
  try {
    encodeOptionValue(kind as never, value);
    return undefined;
  } catch (error) {
    return `option ${code}: ${(error as Error).message}`;
  }
}
