import {
  clientMachineId,
  clientSystemArchitectures,
  decodeDhcp,
  type DhcpMessage,
  hostName,
  maxMessageSize,
  messageType,
  parameterRequestList,
  requestedIp,
  serverId,
  userClass,
  vendorClassId,
} from "../net/dhcp/mod.ts";
import { type Decoded, decoded, decodeFailure } from "../net/errors.ts";
import { macFromBytes } from "../net/mac.ts";
import type { DhcpRequest } from "./request.ts";

const BOOTREQUEST = 1, ETHERNET = 1;

/** A malformed optional option counts as absent: one bad option must not cost a client its lease. */
function valid<T>(result: Decoded<T> | undefined): T | undefined {
  return result?.ok ? result.value : undefined;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Decodes a datagram and lifts what the server logic needs. Anything that is not an Ethernet
 * BOOTREQUEST with a DHCP message type is refused with a reason (counted as malformed by the caller).
 */
export function parseRequest(bytes: Uint8Array): Decoded<{ request: DhcpRequest; message: DhcpMessage }> {
  const result = decodeDhcp(bytes);
  if (!result.ok) return result;
  const message = result.value;
  if (message.op !== BOOTREQUEST) return decodeFailure("necon", `op ${message.op} is not BOOTREQUEST`);
  if (message.htype !== ETHERNET || message.hlen !== 6 || message.chaddr.length < 6) {
    return decodeFailure("necon", `hardware type ${message.htype}/${message.hlen} is not Ethernet`);
  }
  const type = messageType(message);
  if (type === undefined) {
    return decodeFailure("necon", "no DHCP message type (option 53): BOOTP is not served");
  }
  if (!type.ok) return type;
  // Option 61 is keyed by its exact bytes (RFC 4361/6842 compare it opaquely).
  const clientId = message.options.get(61);
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
      clientIdHex: clientId && clientId.length >= 2 ? hex(clientId) : undefined,
      requestedIp: valid(requestedIp(message)),
      serverId: valid(serverId(message)),
      parameterList: valid(parameterRequestList(message)) ?? [],
      maxMessageSize: maxSize !== undefined && maxSize >= 576 ? maxSize : 576,
      hostname: valid(hostName(message)),
      vendorClass: valid(vendorClassId(message)),
      userClass: classes?.classes.join(","),
      architectures: valid(clientSystemArchitectures(message)) ?? [],
      uuid: valid(clientMachineId(message))?.uuid,
      relayAgentInfo: message.options.get(82),
    },
  });
}
