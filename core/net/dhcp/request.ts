import { toHexString } from "../bytes.ts";
import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import type { Ipv4Address } from "../ipv4addr.ts";
import { type MacAddress, macFromBytes } from "../mac.ts";
import {
  BOOTREQUEST,
  DHCP_OPTION_CLIENT_ID,
  DHCP_OPTION_RELAY_AGENT_INFORMATION,
  HLEN_ETHERNET,
  HTYPE_ETHERNET,
} from "./codes.ts";
import { decodeDhcp, DHCP_DEFAULT_MAX_SIZE, type DhcpMessage } from "./message.ts";
import {
  clientMachineId,
  clientSystemArchitectures,
  hostName,
  maxMessageSize,
  messageType,
  parameterRequestList,
  requestedIp,
  serverId,
  userClass,
  vendorClassId,
} from "./typed.ts";

// A client's request as DHCP servers act on it (necon as the network's server, bofied's proxyDHCP beside
// another): the fields and options they decide by, lifted out of the codec once.

/** What a server's logic needs from a client's message. */
export interface DhcpRequest {
  /** Option 53 (DHCPDISCOVER, DHCPREQUEST, … in codes.ts). */
  type: number;
  xid: number;
  flags: number;
  ciaddr: Ipv4Address;
  giaddr: Ipv4Address;
  hops: number;
  mac: MacAddress;
  clientIdHex?: string;
  requestedIp?: Ipv4Address;
  serverId?: Ipv4Address;
  /** Option 55 in the client's order. */
  parameterList: number[];
  /** Option 57, or 576. */
  maxMessageSize: number;
  hostname?: string;
  vendorClass?: string;
  userClass?: string;
  /** Option 93 architecture types. */
  architectures: number[];
  /** Option 97 machine identifier, hex. */
  uuid?: string;
  /** Option 82 bytes, echoed back untouched (RFC 3046). */
  relayAgentInfo?: Uint8Array;
}

/** A malformed optional option counts as absent: one bad option must not cost a client its lease. */
function valid<T>(result: Decoded<T> | undefined): T | undefined {
  return result?.ok ? result.value : undefined;
}

/**
 * Decodes a datagram and lifts what a server needs, with the message itself for the reply. Anything that
 * is not an Ethernet BOOTREQUEST with a DHCP message type is refused with a reason (callers count it as
 * malformed).
 */
export function parseDhcpRequest(bytes: Uint8Array): Decoded<{ request: DhcpRequest; message: DhcpMessage }> {
  const result = decodeDhcp(bytes);
  if (!result.ok) return result;
  const message = result.value;
  if (message.op !== BOOTREQUEST) return decodeFailure("dhcp request", `op ${message.op} is not BOOTREQUEST`);
  if (message.htype !== HTYPE_ETHERNET || message.hlen !== HLEN_ETHERNET || message.chaddr.length < 6) {
    return decodeFailure("dhcp request", `hardware type ${message.htype}/${message.hlen} is not Ethernet`);
  }
  const type = messageType(message);
  if (type === undefined) {
    return decodeFailure("dhcp request", "no DHCP message type (option 53): BOOTP is not served");
  }
  if (!type.ok) return type;
  // Option 61 is keyed by its exact bytes (RFC 4361/6842 compare it opaquely).
  const clientId = message.options.get(DHCP_OPTION_CLIENT_ID);
  const maxSize = valid(maxMessageSize(message));
  const classes = valid(userClass(message));
  return decoded({
    message,
    request: {
      type: type.value,
      xid: message.xid,
      flags: message.flags,
      ciaddr: message.ciaddr,
      giaddr: message.giaddr,
      hops: message.hops,
      mac: macFromBytes(message.chaddr.subarray(0, 6)),
      clientIdHex: clientId && clientId.length >= 2 ? toHexString(clientId) : undefined,
      requestedIp: valid(requestedIp(message)),
      serverId: valid(serverId(message)),
      parameterList: valid(parameterRequestList(message)) ?? [],
      maxMessageSize: maxSize !== undefined && maxSize >= DHCP_DEFAULT_MAX_SIZE
        ? maxSize
        : DHCP_DEFAULT_MAX_SIZE,
      hostname: valid(hostName(message)),
      vendorClass: valid(vendorClassId(message)),
      userClass: classes?.classes.join(","),
      architectures: valid(clientSystemArchitectures(message)) ?? [],
      uuid: valid(clientMachineId(message))?.uuid,
      relayAgentInfo: message.options.get(DHCP_OPTION_RELAY_AGENT_INFORMATION),
    },
  });
}
