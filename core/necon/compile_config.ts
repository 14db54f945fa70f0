import type { NeconConfig, NeconConfigInput, Subnet } from "./config.ts";
import { interfaceNamePattern, Violations } from "./config_checks.ts";
import { compileSubnet } from "./compile_subnet.ts";

/**
 * Compiles an operator's configuration: the served interfaces, each subnet (compile_subnet.ts) and the
 * server-wide settings. Every step reports its field errors, and if there is any the whole config is
 * refused with all of them (ConfigInvalid), so a running config is never replaced by half of a new one.
 */
export function compileConfig(input: NeconConfigInput): NeconConfig {
  const checks = new Violations();
  const interfaces = compileInterfaces(input.interfaces, checks);
  const subnets: Subnet[] = [];
  (input.subnets ?? []).forEach((subnet, s) => {
    const compiled = compileSubnet(subnet, `subnets[${s}]`, { interfaces, earlier: subnets, checks });
    if (compiled) subnets.push(compiled);
  });
  const declineQuarantineSeconds = checks.seconds(
    "declineQuarantineSeconds",
    input.declineQuarantineSeconds,
    86400,
  );
  checks.throwIfAny();
  return {
    interfaces: interfaces ?? [],
    subnets,
    pingBeforeOffer: input.pingBeforeOffer ?? false,
    declineQuarantineSeconds,
  };
}

/** The interfaces to serve, each named once; undefined when the value is not a list at all. */
function compileInterfaces(interfaces: unknown, checks: Violations): string[] | undefined {
  const list = interfaces ?? [];
  if (!Array.isArray(list)) return checks.fail("interfaces", "expected a list of interface names");
  list.forEach((name, i) => {
    if (typeof name !== "string" || !interfaceNamePattern.test(name)) {
      checks.fail(`interfaces[${i}]`, "not an interface name");
    }
  });
  if (new Set(list).size !== list.length) checks.fail("interfaces", "an interface is listed twice");
  return list;
}
