import {
  DHCP_OPTION_BROADCAST_ADDRESS,
  DHCP_OPTION_CLASSLESS_STATIC_ROUTES,
  DHCP_OPTION_DNS_SERVERS,
  DHCP_OPTION_DOMAIN_NAME,
  DHCP_OPTION_DOMAIN_SEARCH,
  DHCP_OPTION_HOST_NAME,
  DHCP_OPTION_INTERFACE_MTU,
  DHCP_OPTION_NTP_SERVERS,
  DHCP_OPTION_ROUTER,
  DHCP_OPTION_SUBNET_MASK,
  encodeClasslessRoutes,
  encodeDomainSearch,
  IPV4_LIST,
  TEXT,
  U16,
  U32,
} from "../net/dhcp/mod.ts";
import { cidrBroadcast, type Ipv4Address, type Ipv4Cidr, parseCidr, prefixMask } from "../net/ipv4addr.ts";
import type { Subnet, SubnetInput } from "./config.ts";
import type { Violations } from "./config_checks.ts";

// The options necon answers from a subnet's typed fields, one row each: its code, the field an operator
// sets it with, how that field is checked and normalized when the config compiles, and how the option's
// value is encoded into a reply. A new typed option is one more row here (CoreDHCP's plugins, as a table).

/** What a row's compile step sees of the subnet being compiled. */
export interface SubnetScope {
  /** The subnet's field path: "subnets[0]". */
  readonly at: string;
  readonly input: SubnetInput;
  readonly cidr: Ipv4Cidr;
  readonly checks: Violations;
  /** Reports an address outside the subnet, or its network or broadcast address, at `field`. */
  inside(field: string, address: Ipv4Address | undefined): void;
}

/** What a row's encode step sees of the reply being built. */
export interface ReplyScope {
  readonly subnet: Subnet;
  /** The client's reserved host name, if it has one. */
  readonly hostname?: string;
}

export interface SubnetOption {
  readonly code: number;
  /**
   * The subnet field the option is answered from; operators cannot also define the code as a custom
   * option. Option 12 has none: it answers the reservation's host name.
   */
  readonly field?: keyof Subnet;
  /** Sent whenever configured, asked for or not: clients that send no parameter list need them too. */
  readonly alwaysSent?: boolean;
  /** Checks the field (errors go to scope.checks) and gives its compiled value. */
  readonly compile?: (scope: SubnetScope) => Partial<Subnet>;
  /** The option's value for a reply, or undefined when the subnet has nothing to send. */
  readonly encode: (reply: ReplyScope) => Uint8Array | undefined;
}

type TypedField = "routers" | "dnsServers" | "domainName" | "domainSearch" | "ntpServers" | "mtu" | "routes";

/** A row answered from one typed field, with its compile and encode typed by that field. */
function fromField<F extends TypedField>(row: {
  code: number;
  field: F;
  alwaysSent?: boolean;
  compile: (value: SubnetInput[F], field: string, scope: SubnetScope) => Subnet[F];
  encode: (value: Subnet[F], reply: ReplyScope) => Uint8Array | undefined;
}): SubnetOption {
  return {
    code: row.code,
    field: row.field,
    alwaysSent: row.alwaysSent,
    compile: (scope) => ({
      [row.field]: row.compile(scope.input[row.field], `${scope.at}.${row.field}`, scope),
    }),
    encode: (reply) => row.encode(reply.subnet[row.field], reply),
  };
}

const addressList = (list: unknown, field: string, scope: SubnetScope) => scope.checks.ips(field, list);
const addresses = (list: Ipv4Address[]) => list.length ? IPV4_LIST.encode(list) : undefined;
const text = (value: string | undefined) => value ? TEXT.encode(value) : undefined;

/** In code order, which is also the order of the always-sent options on the wire. */
export const subnetOptions: readonly SubnetOption[] = [
  {
    code: DHCP_OPTION_SUBNET_MASK,
    field: "cidr",
    alwaysSent: true,
    encode: ({ subnet }) => U32.encode(prefixMask(subnet.cidr.prefixLength)),
  },
  fromField({
    code: DHCP_OPTION_ROUTER,
    field: "routers",
    alwaysSent: true,
    compile(list, field, scope) {
      const routers = addressList(list, field, scope);
      routers.forEach((router, i) => scope.inside(`${field}[${i}]`, router));
      return routers;
    },
    encode: addresses,
  }),
  fromField({
    code: DHCP_OPTION_DNS_SERVERS,
    field: "dnsServers",
    alwaysSent: true,
    compile: addressList,
    encode: addresses,
  }),
  { code: DHCP_OPTION_HOST_NAME, encode: ({ hostname }) => text(hostname) },
  fromField({
    code: DHCP_OPTION_DOMAIN_NAME,
    field: "domainName",
    alwaysSent: true,
    compile(name, field, scope) {
      scope.checks.dnsName(field, name);
      return name;
    },
    encode: text,
  }),
  fromField({
    code: DHCP_OPTION_INTERFACE_MTU,
    field: "mtu",
    compile(mtu, field, scope) {
      if (mtu !== undefined && (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535)) {
        scope.checks.fail(field, "expected 68..65535");
      }
      return mtu;
    },
    encode: (mtu) => mtu ? U16.encode(mtu) : undefined,
  }),
  {
    code: DHCP_OPTION_BROADCAST_ADDRESS,
    field: "cidr",
    encode: ({ subnet }) => U32.encode(cidrBroadcast(subnet.cidr)),
  },
  fromField({ code: DHCP_OPTION_NTP_SERVERS, field: "ntpServers", compile: addressList, encode: addresses }),
  fromField({
    code: DHCP_OPTION_DOMAIN_SEARCH,
    field: "domainSearch",
    compile(names, field, scope) {
      (names ?? []).forEach((name, i) => scope.checks.dnsName(`${field}[${i}]`, name));
      return names ?? [];
    },
    encode: (names) => names.length ? encodeDomainSearch(names) : undefined,
  }),
  fromField({
    code: DHCP_OPTION_CLASSLESS_STATIC_ROUTES,
    field: "routes",
    compile(routes, field, scope) {
      return (routes ?? []).map((route, r) => {
        let destination: Ipv4Cidr | undefined;
        try {
          destination = parseCidr(String(route.destination));
        } catch (error) {
          scope.checks.fail(`${field}[${r}].destination`, (error as Error).message);
        }
        const router = scope.checks.ip(`${field}[${r}].router`, route.router);
        return destination && router !== undefined ? { destination, router } : undefined;
      }).filter((route) => route !== undefined);
    },
    encode: routesWithDefault,
  }),
];

/**
 * RFC 3442: a client that takes option 121 ignores option 3, so the default route goes into 121 too
 * (through the first router) unless the routes name one.
 */
function routesWithDefault(routes: Subnet["routes"], { subnet }: ReplyScope): Uint8Array | undefined {
  if (routes.length === 0) return undefined;
  const hasDefault = routes.some((r) => r.destination.prefixLength === 0);
  return encodeClasslessRoutes(
    hasDefault || subnet.routers.length === 0 ? routes : [...routes, {
      destination: { address: 0, prefixLength: 0, mask: 0, network: 0 },
      router: subnet.routers[0],
    }],
  );
}

export const subnetOptionsByCode: ReadonlyMap<number, SubnetOption> = new Map(
  subnetOptions.map((option) => [option.code, option]),
);

/** The typed options sent whether asked for or not, in wire order. */
export const alwaysSentCodes: readonly number[] = subnetOptions.filter((o) => o.alwaysSent).map((o) =>
  o.code
);
