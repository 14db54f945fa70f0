import { create } from "@bufbuild/protobuf";
import { type Subnet, SubnetSchema } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";

/** The kinds a custom option's text value may be written in (core/net/dhcp's option encoders). */
export const optionKinds = [
  "string",
  "ipv4",
  "ipv4-list",
  "u8",
  "u16",
  "u32",
  "i32",
  "bool",
  "hex",
  "routes",
  "domains",
  "u16-list",
];

/**
 * A subnet as its form edits it: text as typed. `base` is the subnet it started from, so fields the form
 * does not show (static routes, T1/T2) are sent back as they were instead of being dropped.
 */
export interface SubnetDraft {
  base: Subnet;
  id: string;
  cidr: string;
  interface: string;
  pools: { start: string; end: string }[];
  routers: string;
  dnsServers: string;
  domainName: string;
  domainSearch: string;
  ntpServers: string;
  mtu: string;
  leaseSeconds: string;
  options: { code: string; kind: string; value: string }[];
}

const listText = (list: string[]) => list.join(", ");
const listOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);
const numberText = (value: number) => value ? String(value) : "";
/** Empty means "the default" (0 on the wire); anything else is sent as typed, for the server to judge. */
const numberOf = (text: string) => text.trim() === "" ? 0 : Number(text);

export function draftOf(subnet?: Subnet): SubnetDraft {
  const base = subnet ?? create(SubnetSchema, { pools: [{ start: "", end: "" }] });
  return {
    base,
    id: base.id,
    cidr: base.cidr,
    interface: base.interface,
    pools: base.pools.map((p) => ({ start: p.start, end: p.end })),
    routers: listText(base.routers),
    dnsServers: listText(base.dnsServers),
    domainName: base.domainName,
    domainSearch: listText(base.domainSearch),
    ntpServers: listText(base.ntpServers),
    mtu: numberText(base.mtu),
    leaseSeconds: numberText(base.leaseSeconds),
    options: base.options.map((o) => ({ code: String(o.code), kind: o.kind, value: o.value })),
  };
}

/**
 * The subnet to send. A number that is not a whole number is named here, the way the server names every
 * other field, since the wire cannot carry it.
 */
export function subnetOf(draft: SubnetDraft): { subnet: Subnet; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  const whole = (field: string, text: string) => {
    const value = numberOf(text);
    if (Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff) return value;
    errors.set(field, "expected a whole number");
    return 0;
  };
  const { $typeName: _, ...kept } = draft.base;
  const subnet = create(SubnetSchema, {
    ...kept,
    id: draft.id.trim(),
    cidr: draft.cidr.trim(),
    interface: draft.interface,
    // Every row is sent, empty ones too, so the server's "pools[1]" is the form's second row.
    pools: draft.pools.map((p) => ({ start: p.start.trim(), end: p.end.trim() })),
    routers: listOf(draft.routers),
    dnsServers: listOf(draft.dnsServers),
    domainName: draft.domainName.trim(),
    domainSearch: listOf(draft.domainSearch),
    ntpServers: listOf(draft.ntpServers),
    mtu: whole("subnet.mtu", draft.mtu),
    leaseSeconds: whole("subnet.leaseSeconds", draft.leaseSeconds),
    options: draft.options.map((o, i) => ({
      code: whole(`subnet.options[${i}].code`, o.code),
      kind: o.kind,
      value: o.value,
    })),
  });
  return { subnet, errors };
}
