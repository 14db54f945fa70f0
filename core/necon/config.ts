import {
  cidrBroadcast,
  cidrContains,
  formatIpv4,
  type Ipv4Address,
  type Ipv4Cidr,
  parseCidr,
  parseIpv4,
} from "../net/ipv4addr.ts";
import { type MacAddress, parseMac } from "../net/mac.ts";

/**
 * necon's configuration as operators write it (JSON over the API or from a file) and as the server uses
 * it (compiled: addresses as numbers, every cross-field rule checked). Compiling either yields a whole
 * working config or a list of field-level errors; the running config is never half-replaced.
 */
export interface NeconConfigInput {
  /** Interfaces served, by name. Nothing else is ever served. */
  interfaces?: string[];
  subnets?: SubnetInput[];
  /** Probe an address with ICMP echo before offering it (costs up to 0.5 s per offer; off by default). */
  pingBeforeOffer?: boolean;
  /** Seconds a declined address stays out of use. */
  declineQuarantineSeconds?: number;
}

export interface SubnetInput {
  /** Stable name for the API; defaults to the CIDR. */
  id?: string;
  cidr: string;
  /** Serve this subnet on this interface (else: the interface whose address is inside the CIDR). */
  interface?: string;
  pools?: { start: string; end: string }[];
  routers?: string[];
  dnsServers?: string[];
  domainName?: string;
  domainSearch?: string[];
  ntpServers?: string[];
  mtu?: number;
  routes?: { destination: string; router: string }[];
  leaseSeconds?: number;
  renewSeconds?: number;
  rebindSeconds?: number;
  options?: { code: number; kind: string; value: string }[];
  reservations?: ReservationInput[];
}

export interface ReservationInput {
  mac?: string;
  /** Client identifier (option 61) as hex, e.g. "01aabbccddeeff". */
  clientId?: string;
  ip: string;
  hostname?: string;
}

export interface Pool {
  start: Ipv4Address;
  end: Ipv4Address;
}

export interface Reservation {
  mac?: MacAddress;
  clientId?: string;
  ip: Ipv4Address;
  hostname?: string;
}

export interface Subnet {
  id: string;
  cidr: Ipv4Cidr;
  interface?: string;
  pools: Pool[];
  routers: Ipv4Address[];
  dnsServers: Ipv4Address[];
  domainName?: string;
  domainSearch: string[];
  ntpServers: Ipv4Address[];
  mtu?: number;
  routes: { destination: Ipv4Cidr; router: Ipv4Address }[];
  leaseSeconds: number;
  renewSeconds: number;
  rebindSeconds: number;
  options: { code: number; kind: string; value: string }[];
  reservations: Reservation[];
}

export interface NeconConfig {
  interfaces: string[];
  subnets: Subnet[];
  pingBeforeOffer: boolean;
  declineQuarantineSeconds: number;
}

export interface FieldError {
  field: string;
  message: string;
}

export class ConfigInvalid extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join("; "));
    this.name = "ConfigInvalid";
  }
}

/** Validates an optional custom option; injected so config does not depend on the option codec. */
export type OptionValidator = (code: number, kind: string, value: string) => string | undefined;

const interfaceName = /^[a-zA-Z0-9_.:@-]{1,15}$/;
const dnsName =
  /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;
// Options the server sets itself from typed fields; defining them as custom options would fight those.
const managedOptionCodes = new Set([
  0,
  1,
  3,
  6,
  15,
  26,
  28,
  42,
  50,
  51,
  52,
  53,
  54,
  55,
  57,
  58,
  59,
  61,
  82,
  119,
  121,
  255,
]);

export function compileConfig(input: NeconConfigInput, validateOption?: OptionValidator): NeconConfig {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  const ip = (field: string, text: unknown): Ipv4Address | undefined => {
    if (typeof text !== "string") return fail(field, "expected an IPv4 address string"), undefined;
    try {
      return parseIpv4(text);
    } catch (error) {
      return fail(field, (error as Error).message), undefined;
    }
  };
  const ips = (field: string, list: unknown): Ipv4Address[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) return fail(field, "expected a list of IPv4 addresses"), [];
    return list.map((text, i) => ip(`${field}[${i}]`, text)).filter((a): a is number => a !== undefined);
  };
  const seconds = (field: string, value: unknown, fallback: number, min = 1): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > 0xffff_fffe) {
      return fail(field, `expected whole seconds from ${min} to 4294967294`), fallback;
    }
    return value as number;
  };

  const interfaces = input.interfaces ?? [];
  if (!Array.isArray(interfaces)) fail("interfaces", "expected a list of interface names");
  else {
    interfaces.forEach((name, i) => {
      if (typeof name !== "string" || !interfaceName.test(name)) {
        fail(`interfaces[${i}]`, "not an interface name");
      }
    });
    if (new Set(interfaces).size !== interfaces.length) fail("interfaces", "an interface is listed twice");
  }

  const subnets: Subnet[] = [];
  (input.subnets ?? []).forEach((raw, s) => {
    const at = `subnets[${s}]`;
    let cidr: Ipv4Cidr;
    try {
      cidr = parseCidr(String(raw.cidr));
    } catch (error) {
      fail(`${at}.cidr`, (error as Error).message);
      return;
    }
    if (cidr.address !== cidr.network) {
      fail(`${at}.cidr`, `host bits set; did you mean ${formatIpv4(cidr.network)}/${cidr.prefixLength}?`);
    }
    if (cidr.prefixLength > 30) fail(`${at}.cidr`, "prefix longer than /30 leaves no room for clients");
    const inside = (field: string, address: Ipv4Address | undefined) => {
      if (address === undefined) return;
      if (!cidrContains(cidr, address)) fail(field, `${formatIpv4(address)} is outside ${raw.cidr}`);
      else if (address === cidr.network || address === cidrBroadcast(cidr)) {
        fail(field, `${formatIpv4(address)} is the network or broadcast address`);
      }
    };
    if (
      raw.interface !== undefined && (typeof raw.interface !== "string" || !interfaceName.test(raw.interface))
    ) {
      fail(`${at}.interface`, "not an interface name");
    }
    if (raw.interface !== undefined && Array.isArray(interfaces) && !interfaces.includes(raw.interface)) {
      fail(`${at}.interface`, `${raw.interface} is not in interfaces`);
    }

    const pools: Pool[] = [];
    (raw.pools ?? []).forEach((pool, p) => {
      const start = ip(`${at}.pools[${p}].start`, pool.start), end = ip(`${at}.pools[${p}].end`, pool.end);
      inside(`${at}.pools[${p}].start`, start);
      inside(`${at}.pools[${p}].end`, end);
      if (start === undefined || end === undefined) return;
      if (start > end) return fail(`${at}.pools[${p}]`, "start is after end");
      for (const other of pools) {
        if (start <= other.end && other.start <= end) {
          return fail(`${at}.pools[${p}]`, "overlaps another pool");
        }
      }
      pools.push({ start, end });
    });

    const routes = (raw.routes ?? []).map((route, r) => {
      let destination: Ipv4Cidr | undefined;
      try {
        destination = parseCidr(String(route.destination));
      } catch (error) {
        fail(`${at}.routes[${r}].destination`, (error as Error).message);
      }
      const router = ip(`${at}.routes[${r}].router`, route.router);
      return destination && router !== undefined ? { destination, router } : undefined;
    }).filter((r): r is { destination: Ipv4Cidr; router: Ipv4Address } => r !== undefined);

    const leaseSeconds = seconds(`${at}.leaseSeconds`, raw.leaseSeconds, 3600, 60);
    const renewSeconds = seconds(`${at}.renewSeconds`, raw.renewSeconds, Math.floor(leaseSeconds / 2));
    const rebindSeconds = seconds(`${at}.rebindSeconds`, raw.rebindSeconds, Math.floor(leaseSeconds * 7 / 8));
    if (!(renewSeconds < rebindSeconds && rebindSeconds < leaseSeconds)) {
      fail(`${at}.renewSeconds`, "need renewSeconds < rebindSeconds < leaseSeconds");
    }
    if (raw.mtu !== undefined && (!Number.isInteger(raw.mtu) || raw.mtu < 68 || raw.mtu > 65535)) {
      fail(`${at}.mtu`, "expected 68..65535");
    }
    if (raw.domainName !== undefined && !dnsName.test(raw.domainName)) {
      fail(`${at}.domainName`, "not a DNS name");
    }
    (raw.domainSearch ?? []).forEach((name, i) => {
      if (!dnsName.test(name)) fail(`${at}.domainSearch[${i}]`, "not a DNS name");
    });

    const options = (raw.options ?? []).map((option, o) => {
      const field = `${at}.options[${o}]`;
      if (!Number.isInteger(option.code) || option.code < 1 || option.code > 254) {
        fail(`${field}.code`, "expected an option code 1..254");
      } else if (managedOptionCodes.has(option.code)) {
        fail(`${field}.code`, `option ${option.code} is set by necon itself; use the subnet's typed field`);
      } else {
        const problem = validateOption?.(option.code, option.kind, option.value);
        if (problem) fail(field, problem);
      }
      return { code: option.code, kind: option.kind, value: option.value };
    });

    const reservations: Reservation[] = [];
    (raw.reservations ?? []).forEach((reservation, r) => {
      const field = `${at}.reservations[${r}]`;
      const address = ip(`${field}.ip`, reservation.ip);
      inside(`${field}.ip`, address);
      let mac: MacAddress | undefined;
      if (reservation.mac !== undefined) {
        try {
          mac = parseMac(reservation.mac);
        } catch (error) {
          fail(`${field}.mac`, (error as Error).message);
        }
      }
      const clientId = reservation.clientId?.toLowerCase();
      if (clientId !== undefined && !/^([0-9a-f]{2}){2,255}$/.test(clientId)) {
        fail(`${field}.clientId`, "expected hex bytes (type byte first), e.g. 01aabbccddeeff");
      }
      if (reservation.mac === undefined && clientId === undefined) fail(field, "needs a mac or a clientId");
      if (reservation.hostname !== undefined && !dnsName.test(reservation.hostname)) {
        fail(`${field}.hostname`, "not a DNS name");
      }
      if (address === undefined) return;
      for (const other of reservations) {
        if (other.ip === address) return fail(`${field}.ip`, `${formatIpv4(address)} is reserved twice`);
        if (mac !== undefined && other.mac === mac) {
          return fail(`${field}.mac`, "this MAC has another reservation");
        }
        if (clientId !== undefined && other.clientId === clientId) {
          return fail(`${field}.clientId`, "this client has another reservation");
        }
      }
      reservations.push({ mac, clientId, ip: address, hostname: reservation.hostname });
    });

    const id = raw.id ?? `${formatIpv4(cidr.network)}/${cidr.prefixLength}`;
    if (subnets.some((other) => other.id === id)) fail(`${at}.id`, `duplicate id ${id}`);
    for (const other of subnets) {
      if (cidrContains(other.cidr, cidr.network) || cidrContains(cidr, other.cidr.network)) {
        fail(`${at}.cidr`, `overlaps subnet ${other.id}`);
      }
    }
    const routers = ips(`${at}.routers`, raw.routers);
    routers.forEach((router, i) => inside(`${at}.routers[${i}]`, router));
    subnets.push({
      id,
      cidr,
      interface: raw.interface,
      pools,
      routers,
      dnsServers: ips(`${at}.dnsServers`, raw.dnsServers),
      domainName: raw.domainName,
      domainSearch: raw.domainSearch ?? [],
      ntpServers: ips(`${at}.ntpServers`, raw.ntpServers),
      mtu: raw.mtu,
      routes,
      leaseSeconds,
      renewSeconds,
      rebindSeconds,
      options,
      reservations,
    });
  });

  const declineQuarantineSeconds = seconds("declineQuarantineSeconds", input.declineQuarantineSeconds, 86400);
  if (errors.length) throw new ConfigInvalid(errors);
  return {
    interfaces: Array.isArray(interfaces) ? interfaces : [],
    subnets,
    pingBeforeOffer: input.pingBeforeOffer ?? false,
    declineQuarantineSeconds,
  };
}
