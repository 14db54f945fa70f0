import type { Subnet } from "./config.ts";
import {
  type BootAnswer,
  bootAnswerOptions,
  bootFileField,
  DHCP_OPTION_CLIENT_ID,
  DHCP_OPTION_HOST_NAME,
  DHCP_OPTION_LEASE_TIME,
  DHCP_OPTION_MESSAGE,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_REBINDING_TIME,
  DHCP_OPTION_RELAY_AGENT_INFORMATION,
  DHCP_OPTION_RENEWAL_TIME,
  DHCP_OPTION_SERVER_ID,
  DHCP_OPTION_VENDOR_SPECIFIC,
  DHCPACK,
  type DhcpMessage,
  DHCPNAK,
  type DhcpRequest,
  encodeDhcp,
  TEXT,
  U32,
  U8,
} from "../net/dhcp/mod.ts";
import { formatIpv4 } from "../net/ipv4addr.ts";
import { encodeCustomOption } from "./custom_options.ts";
import type { Arrival } from "./request.ts";
import type { ReplyPlan } from "./server.ts";
import { CLIENT_PORT, SERVER_PORT } from "./sockets.ts";
import { alwaysSentCodes, subnetOptionsByCode } from "./subnet_options.ts";

/**
 * The reply to one request (RFC 2131 table 3): header fields, then options — message type, server id,
 * lease times, the always-sent basics, what the client asked for in its order (subnet_options.ts, else
 * the subnet's custom options), boot answers, and the client identifier (RFC 6842) and relay agent
 * information (RFC 3046) echoed back last.
 */
export function buildReply(
  message: DhcpMessage,
  request: DhcpRequest,
  plan: ReplyPlan,
  arrival: Arrival,
  boot?: BootAnswer,
): Uint8Array {
  const options = new Map<number, Uint8Array>();
  options.set(DHCP_OPTION_MESSAGE_TYPE, U8.encode(plan.type));
  options.set(DHCP_OPTION_SERVER_ID, U32.encode(arrival.serverAddress));
  if (plan.type === DHCPNAK) {
    if (plan.message) options.set(DHCP_OPTION_MESSAGE, TEXT.encode(plan.message.slice(0, 200)));
  } else if (plan.subnet) {
    const subnet = plan.subnet;
    if (plan.leaseSeconds !== undefined) {
      options.set(DHCP_OPTION_LEASE_TIME, U32.encode(plan.leaseSeconds));
      options.set(DHCP_OPTION_RENEWAL_TIME, U32.encode(subnet.renewSeconds));
      options.set(DHCP_OPTION_REBINDING_TIME, U32.encode(subnet.rebindSeconds));
    }
    // Built lazily, since a client asks for few of them, and kept per subnet: all but the host name
    // depend on the subnet alone (a new configuration compiles new subnet objects).
    for (const code of [...alwaysSentCodes, ...request.parameterList]) {
      if (options.has(code)) continue;
      const value = code === DHCP_OPTION_HOST_NAME
        ? subnetOptionsByCode.get(code)!.encode({ subnet, hostname: plan.hostname })
        : subnetOptionValue(subnet, code);
      if (value) options.set(code, value);
    }
    // Option 60 and, for a PXE client given its boot file, option 43 saying "boot it" (pxe_answer.ts):
    // without it EDK2 takes this answer for BINL and asks our port 4011 first.
    const bootOptions = bootAnswerOptions(boot, {
      requestVendorOptions: message.options.get(DHCP_OPTION_VENDOR_SPECIFIC),
    });
    for (const [code, value] of bootOptions) options.set(code, value);
  }
  const clientId = message.options.get(DHCP_OPTION_CLIENT_ID);
  if (clientId) options.set(DHCP_OPTION_CLIENT_ID, clientId);
  if (request.relayAgentInfo) options.set(DHCP_OPTION_RELAY_AGENT_INFORMATION, request.relayAgentInfo);

  const isInformAck = plan.type === DHCPACK && plan.leaseSeconds === undefined;
  return encodeDhcp({
    op: 2,
    htype: message.htype,
    hlen: message.hlen,
    hops: 0,
    xid: message.xid,
    secs: 0,
    flags: message.flags,
    ciaddr: plan.type === DHCPACK || isInformAck ? request.ciaddr : 0,
    yiaddr: plan.yiaddr,
    siaddr: plan.type === DHCPNAK ? 0 : boot?.nextServer ?? 0,
    giaddr: message.giaddr,
    chaddr: message.chaddr,
    sname: "",
    file: plan.type === DHCPNAK ? "" : bootFileField(boot?.bootFile),
    options,
  }, { maxSize: request.maxMessageSize });
}

const encodedBySubnet = new WeakMap<Subnet, Map<number, Uint8Array | undefined>>();

function subnetOptionValue(subnet: Subnet, code: number): Uint8Array | undefined {
  let encoded = encodedBySubnet.get(subnet);
  if (!encoded) encodedBySubnet.set(subnet, encoded = new Map());
  if (encoded.has(code)) return encoded.get(code);
  const typed = subnetOptionsByCode.get(code);
  const value = (typed ? typed.encode({ subnet }) : encodeCustomOption(subnet, code)) ?? undefined;
  encoded.set(code, value);
  return value;
}

/**
 * Where a reply goes (RFC 2131 §4.1): to the relay on port 67; to a configured client at its address;
 * otherwise broadcast (NAKs always), since a client without an address cannot take unicast IP before
 * ARP would find it.
 */
export function replyDestination(request: DhcpRequest, plan: ReplyPlan): { address: string; port: number } {
  if (request.giaddr !== 0) return { address: formatIpv4(request.giaddr), port: SERVER_PORT };
  if (plan.type !== DHCPNAK && request.ciaddr !== 0) {
    return { address: formatIpv4(request.ciaddr), port: CLIENT_PORT };
  }
  return { address: "255.255.255.255", port: CLIENT_PORT };
}
