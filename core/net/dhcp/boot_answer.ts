import type { Ipv4Address } from "../ipv4addr.ts";
import type { DhcpRequest } from "./request.ts";

// The PXE seam between the DHCP servers and the boot rules: necon (the network's DHCP server) and bofied's
// proxyDHCP both ask a provider (bofied's rules) what to tell a PXE client, and answer with what it says.

/** The boot fields of an answer to a PXE client. */
export interface BootAnswer {
  /** siaddr: the TFTP server. */
  nextServer?: Ipv4Address;
  /** BOOTP file field and option 67. */
  bootFile?: string;
  /** Option 66. */
  tftpServerName?: string;
  /** Option 150. */
  tftpServers?: Ipv4Address[];
  /** Option 60 answered to PXE clients ("PXEClient"). */
  vendorClass?: string;
}

/** Asked only for PXE clients (isPxeClient); undefined: no boot fields for this client. */
export type BootAnswerProvider = (
  request: DhcpRequest,
  assigned: Ipv4Address,
  /** The server's address on the client's link: where the client reaches this node. */
  serverAddress: Ipv4Address,
) => BootAnswer | undefined | Promise<BootAnswer | undefined>;

/** A PXE client: option 60 "PXEClient…" or an option 93 architecture. */
export function isPxeClient(request: DhcpRequest): boolean {
  return request.vendorClass?.startsWith("PXEClient") === true || request.architectures.length > 0;
}
