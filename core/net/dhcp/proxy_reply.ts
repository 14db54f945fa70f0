import type { Ipv4Address } from "../ipv4addr.ts";
import { bootAnswerOptions, bootFileField } from "./boot_reply.ts";
import {
  BOOTREPLY,
  DHCP_OPTION_CLIENT_MACHINE_ID,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_SERVER_ID,
  DHCP_OPTION_VENDOR_SPECIFIC,
  DHCPACK,
  type DHCPOFFER,
} from "./codes.ts";
import { type DhcpMessage, encodeDhcp } from "./message.ts";
import { IPV4, U8 } from "./values.ts";

export interface ProxyReply {
  /** DHCPOFFER on port 67, DHCPACK on port 4011. */
  readonly type: typeof DHCPOFFER | typeof DHCPACK;
  /** The proxy's own address (option 54). */
  readonly serverAddress: Ipv4Address;
  /** siaddr: where the boot file is fetched. */
  readonly nextServer: Ipv4Address;
  readonly bootFile: string;
}

/**
 * A proxyDHCP answer (PXE spec 2.1) to a PXE client's request: boot information only, never an address
 * (yiaddr 0). The port 67 offer is a BINL offer (option 60, no option 43), which EDK2 keeps and asks about
 * once on port 4011; the 4011 ACK names the file and says "boot it" (pxe_answer.ts). The client's option 97
 * is echoed back, as PXE clients expect their machine identifier returned.
 */
export function proxyDhcpReply(request: DhcpMessage, reply: ProxyReply): Uint8Array<ArrayBuffer> {
  const options = new Map<number, Uint8Array>();
  options.set(DHCP_OPTION_MESSAGE_TYPE, U8.encode(reply.type));
  options.set(DHCP_OPTION_SERVER_ID, IPV4.encode(reply.serverAddress));
  const boot = bootAnswerOptions({ vendorClass: "PXEClient", bootFile: reply.bootFile }, {
    bootNow: reply.type === DHCPACK,
    requestVendorOptions: request.options.get(DHCP_OPTION_VENDOR_SPECIFIC),
  });
  for (const [code, value] of boot) options.set(code, value);
  const uuid = request.options.get(DHCP_OPTION_CLIENT_MACHINE_ID);
  if (uuid) options.set(DHCP_OPTION_CLIENT_MACHINE_ID, uuid);
  return encodeDhcp({
    op: BOOTREPLY,
    htype: request.htype,
    hlen: request.hlen,
    hops: 0,
    xid: request.xid,
    secs: 0,
    flags: request.flags,
    ciaddr: reply.type === DHCPACK ? request.ciaddr : 0,
    yiaddr: 0,
    siaddr: reply.nextServer,
    giaddr: request.giaddr,
    chaddr: request.chaddr,
    sname: "",
    // A name too long for the field is in option 67 only.
    file: bootFileField(reply.bootFile),
    options,
  });
}
