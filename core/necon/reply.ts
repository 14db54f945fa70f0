import {
  type DhcpMessage,
  encodeClasslessRoutes,
  encodeDhcp,
  encodeDomainSearch,
  encodeOptionValue,
  IPV4_LIST,
  TEXT,
  U16,
  U32,
  U8,
} from "../net/dhcp/mod.ts";
import { pxeAnswerOptions } from "../net/dhcp/pxe_answer.ts";
import { cidrBroadcast, formatIpv4, type Ipv4Address, prefixMask } from "../net/ipv4addr.ts";
import type { BootAnswer } from "./boot.ts";
import type { Subnet } from "./config.ts";
import { ACK, type Arrival, type DhcpRequest, NAK } from "./request.ts";
import type { ReplyPlan } from "./server.ts";
import { CLIENT_PORT, SERVER_PORT } from "./sockets.ts";

// The codec's option value codecs, so necon writes no byte layouts of its own.
const u8 = (value: number) => U8.encode(value);
const u16 = (value: number) => U16.encode(value);
const u32 = (value: number) => U32.encode(value);
const addresses = (list: Ipv4Address[]) => IPV4_LIST.encode(list);
const text = (value: string) => TEXT.encode(value);

/** The options a subnet can answer, by code; built lazily per reply since few are asked for. */
function subnetOption(subnet: Subnet, code: number, hostname: string | undefined): Uint8Array | undefined {
  switch (code) {
    case 1:
      return u32(prefixMask(subnet.cidr.prefixLength));
    case 3:
      return subnet.routers.length ? addresses(subnet.routers) : undefined;
    case 6:
      return subnet.dnsServers.length ? addresses(subnet.dnsServers) : undefined;
    case 12:
      return hostname ? text(hostname) : undefined;
    case 15:
      return subnet.domainName ? text(subnet.domainName) : undefined;
    case 26:
      return subnet.mtu ? u16(subnet.mtu) : undefined;
    case 28:
      return u32(cidrBroadcast(subnet.cidr));
    case 42:
      return subnet.ntpServers.length ? addresses(subnet.ntpServers) : undefined;
    case 119:
      return subnet.domainSearch.length ? encodeDomainSearch(subnet.domainSearch) : undefined;
    case 121:
      return subnet.routes.length ? encodeClasslessRoutes(subnet.routes) : undefined;
  }
  const custom = subnet.options.find((option) => option.code === code);
  return custom ? encodeOptionValue(custom.kind as never, custom.value) : undefined;
}

// Sent whether asked or not when configured: clients that send no parameter list still need them.
const alwaysSent = [1, 3, 6, 15];

/**
 * The reply to one request (RFC 2131 table 3): header fields, then options — message type, server id,
 * lease times, the always-sent basics, what the client asked for in its order, boot answers, and the
 * client identifier (RFC 6842) and relay agent information (RFC 3046) echoed back last.
 */
export function buildReply(
  message: DhcpMessage,
  request: DhcpRequest,
  plan: ReplyPlan,
  arrival: Arrival,
  boot?: BootAnswer,
): Uint8Array {
  const options = new Map<number, Uint8Array>();
  options.set(53, u8(plan.type));
  options.set(54, u32(arrival.serverAddress));
  if (plan.type === NAK) {
    if (plan.message) options.set(56, text(plan.message.slice(0, 200)));
  } else if (plan.subnet) {
    if (plan.leaseSeconds !== undefined) {
      options.set(51, u32(plan.leaseSeconds));
      options.set(58, u32(plan.subnet.renewSeconds));
      options.set(59, u32(plan.subnet.rebindSeconds));
    }
    const wanted = [...alwaysSent, ...request.parameterList];
    // RFC 3442: a client that takes option 121 ignores option 3, so the default route goes into 121 too.
    for (const code of wanted) {
      if (options.has(code)) continue;
      const value = code === 121
        ? routesWithDefault(plan.subnet)
        : subnetOption(plan.subnet, code, plan.hostname);
      if (value) options.set(code, value);
    }
    // Option 60 and, for a PXE client given its boot file, option 43 saying "boot it" (pxe_answer.ts):
    // without it EDK2 takes this answer for BINL and asks our port 4011 first.
    const pxe = pxeAnswerOptions({
      vendorClass: boot?.vendorClass,
      bootFile: boot?.bootFile,
      requestVendorOptions: message.options.get(43),
    });
    for (const [code, value] of pxe) options.set(code, value);
    if (boot?.tftpServerName) options.set(66, text(boot.tftpServerName));
    if (boot?.bootFile) options.set(67, text(boot.bootFile));
    if (boot?.tftpServers?.length) options.set(150, addresses(boot.tftpServers));
  }
  const clientId = message.options.get(61);
  if (clientId) options.set(61, clientId);
  if (request.relayAgentInfo) options.set(82, request.relayAgentInfo);

  const isInformAck = plan.type === ACK && plan.leaseSeconds === undefined;
  return encodeDhcp({
    op: 2,
    htype: message.htype,
    hlen: message.hlen,
    hops: 0,
    xid: message.xid,
    secs: 0,
    flags: message.flags,
    ciaddr: plan.type === ACK || isInformAck ? request.ciaddr : 0,
    yiaddr: plan.yiaddr,
    siaddr: plan.type === NAK ? 0 : boot?.nextServer ?? 0,
    giaddr: message.giaddr,
    chaddr: message.chaddr,
    sname: "",
    file: plan.type === NAK ? "" : boot?.bootFile ?? "",
    options,
  }, { maxSize: request.maxMessageSize });
}

function routesWithDefault(subnet: Subnet): Uint8Array | undefined {
  if (subnet.routes.length === 0) return undefined;
  const hasDefault = subnet.routes.some((r) => r.destination.prefixLength === 0);
  const routes = hasDefault || subnet.routers.length === 0 ? subnet.routes : [...subnet.routes, {
    destination: { address: 0, prefixLength: 0, mask: 0, network: 0 },
    router: subnet.routers[0],
  }];
  return encodeClasslessRoutes(routes);
}

/**
 * Where a reply goes (RFC 2131 §4.1): to the relay on port 67; to a configured client at its address;
 * otherwise broadcast (NAKs always), since a client without an address cannot take unicast IP before
 * ARP would find it.
 */
export function replyDestination(request: DhcpRequest, plan: ReplyPlan): { address: string; port: number } {
  if (request.giaddr !== 0) return { address: formatIpv4(request.giaddr), port: SERVER_PORT };
  if (plan.type !== NAK && request.ciaddr !== 0) {
    return { address: formatIpv4(request.ciaddr), port: CLIENT_PORT };
  }
  return { address: "255.255.255.255", port: CLIENT_PORT };
}

/** Checks an operator's custom option by encoding it once; the message names the option. */
export function validateCustomOption(code: number, kind: string, value: string): string | undefined {
  try {
    encodeOptionValue(kind as never, value);
    return undefined;
  } catch (error) {
    return `option ${code}: ${(error as Error).message}`;
  }
}
