import { cidrBroadcast, cidrContains, formatIpv4, type Ipv4Cidr, parseCidr } from "../net/ipv4addr.ts";
import { type MacAddress, parseMac } from "../net/mac.ts";
import type { Pool, Reservation, Subnet, SubnetInput } from "./config.ts";
import { interfaceNamePattern, type Violations } from "./config_checks.ts";
import { compileCustomOptions } from "./custom_options.ts";
import { subnetOptions, type SubnetScope } from "./subnet_options.ts";

/** What a subnet is compiled against: the served interfaces and the subnets compiled before it. */
export interface SubnetContext {
  /** Undefined when `interfaces` itself was not a list (already reported). */
  readonly interfaces: readonly string[] | undefined;
  readonly earlier: readonly Subnet[];
  readonly checks: Violations;
}

/**
 * One subnet, compiled in steps that each report their own fields; undefined (with the error reported)
 * only when its CIDR does not parse, since every other check is relative to it.
 */
export function compileSubnet(input: SubnetInput, at: string, context: SubnetContext): Subnet | undefined {
  const { checks } = context;
  const cidr = compileCidr(input.cidr, `${at}.cidr`, checks);
  if (!cidr) return undefined;
  const scope: SubnetScope = {
    at,
    input,
    cidr,
    checks,
    inside(field, address) {
      if (address === undefined) return;
      if (!cidrContains(cidr, address)) checks.fail(field, `${formatIpv4(address)} is outside ${input.cidr}`);
      else if (address === cidr.network || address === cidrBroadcast(cidr)) {
        checks.fail(field, `${formatIpv4(address)} is the network or broadcast address`);
      }
    },
  };
  checkInterface(input.interface, `${at}.interface`, context);
  const pools = compilePools(input.pools, scope);
  const leaseTimes = compileLeaseTimes(input, at, checks);
  const typedOptions = Object.assign({}, ...subnetOptions.map((option) => option.compile?.(scope)));
  const options = compileCustomOptions(input.options, at, checks);
  const reservations = compileReservations(input.reservations, scope);
  const id = compileIdentity(input.id, scope, context);
  return {
    id,
    cidr,
    interface: input.interface,
    pools,
    ...typedOptions,
    ...leaseTimes,
    options,
    reservations,
  };
}

function compileCidr(text: unknown, field: string, checks: Violations): Ipv4Cidr | undefined {
  let cidr: Ipv4Cidr;
  try {
    cidr = parseCidr(String(text));
  } catch (error) {
    return checks.fail(field, (error as Error).message);
  }
  if (cidr.address !== cidr.network) {
    checks.fail(field, `host bits set; did you mean ${formatIpv4(cidr.network)}/${cidr.prefixLength}?`);
  }
  if (cidr.prefixLength > 30) checks.fail(field, "prefix longer than /30 leaves no room for clients");
  return cidr;
}

function checkInterface(
  name: string | undefined,
  field: string,
  { interfaces, checks }: SubnetContext,
): void {
  if (name === undefined) return;
  if (typeof name !== "string" || !interfaceNamePattern.test(name)) {
    checks.fail(field, "not an interface name");
  }
  if (interfaces && !interfaces.includes(name)) checks.fail(field, `${name} is not in interfaces`);
}

function compilePools(pools: SubnetInput["pools"], scope: SubnetScope): Pool[] {
  const { checks } = scope;
  const compiled: Pool[] = [];
  (pools ?? []).forEach((pool, p) => {
    const field = `${scope.at}.pools[${p}]`;
    const start = checks.ip(`${field}.start`, pool.start), end = checks.ip(`${field}.end`, pool.end);
    scope.inside(`${field}.start`, start);
    scope.inside(`${field}.end`, end);
    if (start === undefined || end === undefined) return;
    if (start > end) return checks.fail(field, "start is after end");
    if (compiled.some((other) => start <= other.end && other.start <= end)) {
      return checks.fail(field, "overlaps another pool");
    }
    compiled.push({ start, end });
  });
  return compiled;
}

/** Lease, renewal (T1) and rebinding (T2) times; T1 and T2 default to RFC 2131's 1/2 and 7/8. */
function compileLeaseTimes(input: SubnetInput, at: string, checks: Violations) {
  const leaseSeconds = checks.seconds(`${at}.leaseSeconds`, input.leaseSeconds, 3600, 60);
  const renewSeconds = checks.seconds(`${at}.renewSeconds`, input.renewSeconds, Math.floor(leaseSeconds / 2));
  const rebindSeconds = checks.seconds(
    `${at}.rebindSeconds`,
    input.rebindSeconds,
    Math.floor(leaseSeconds * 7 / 8),
  );
  if (!(renewSeconds < rebindSeconds && rebindSeconds < leaseSeconds)) {
    checks.fail(`${at}.renewSeconds`, "need renewSeconds < rebindSeconds < leaseSeconds");
  }
  return { leaseSeconds, renewSeconds, rebindSeconds };
}

const clientIdPattern = /^([0-9a-f]{2}){2,255}$/;

function compileReservations(list: SubnetInput["reservations"], scope: SubnetScope): Reservation[] {
  const { checks } = scope;
  const compiled: Reservation[] = [];
  (list ?? []).forEach((reservation, r) => {
    const field = `${scope.at}.reservations[${r}]`;
    const address = checks.ip(`${field}.ip`, reservation.ip);
    scope.inside(`${field}.ip`, address);
    let mac: MacAddress | undefined;
    if (reservation.mac !== undefined) {
      try {
        mac = parseMac(reservation.mac);
      } catch (error) {
        checks.fail(`${field}.mac`, (error as Error).message);
      }
    }
    const clientId = reservation.clientId?.toLowerCase();
    if (clientId !== undefined && !clientIdPattern.test(clientId)) {
      checks.fail(`${field}.clientId`, "expected hex bytes (type byte first), e.g. 01aabbccddeeff");
    }
    if (reservation.mac === undefined && clientId === undefined) {
      checks.fail(field, "needs a mac or a clientId");
    }
    checks.dnsName(`${field}.hostname`, reservation.hostname);
    if (address === undefined) return;
    // The first earlier reservation sharing the address, MAC or client id is the one reported.
    for (const other of compiled) {
      if (other.ip === address) return checks.fail(`${field}.ip`, `${formatIpv4(address)} is reserved twice`);
      if (mac !== undefined && other.mac === mac) {
        return checks.fail(`${field}.mac`, "this MAC has another reservation");
      }
      if (clientId !== undefined && other.clientId === clientId) {
        return checks.fail(`${field}.clientId`, "this client has another reservation");
      }
    }
    compiled.push({ mac, clientId, ip: address, hostname: reservation.hostname });
  });
  return compiled;
}

/** The subnet's id (the CIDR unless named), unique, for a network no earlier subnet overlaps. */
function compileIdentity(id: string | undefined, { at, cidr }: SubnetScope, context: SubnetContext): string {
  const { earlier, checks } = context;
  const compiled = id ?? `${formatIpv4(cidr.network)}/${cidr.prefixLength}`;
  if (earlier.some((other) => other.id === compiled)) checks.fail(`${at}.id`, `duplicate id ${compiled}`);
  for (const other of earlier) {
    if (cidrContains(other.cidr, cidr.network) || cidrContains(cidr, other.cidr.network)) {
      checks.fail(`${at}.cidr`, `overlaps subnet ${other.id}`);
    }
  }
  return compiled;
}
