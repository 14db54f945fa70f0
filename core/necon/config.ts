import { type FieldError, FieldErrors } from "../errors/field_errors.ts";
import type { Ipv4Address, Ipv4Cidr } from "../net/ipv4addr.ts";
import type { MacAddress } from "../net/mac.ts";

/**
 * necon's configuration as operators write it (JSON over the API or from a file) and as the server uses
 * it (compiled: addresses as numbers, every cross-field rule checked). Compiling either yields a whole
 * working config or a list of field-level errors; the running config is never half-replaced
 * (compile_config.ts).
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

export type { FieldError } from "../errors/field_errors.ts";

/** necon's configuration refused, with every wrong field named. */
export class ConfigInvalid extends FieldErrors {
  constructor(errors: FieldError[]) {
    super(errors);
    this.name = "ConfigInvalid";
  }
}
