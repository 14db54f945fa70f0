import type { Ipv4Address } from "../net/ipv4addr.ts";
import type { DhcpRequest } from "./request.ts";

/**
 * The PXE seam: when a boot answer provider is set (bofied's rules), necon asks it for every OFFER and
 * ACK and adds what it answers. Without one, necon answers no boot fields.
 */
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

/** Asked only for PXE clients (option 60 "PXEClient…" or an option 93 architecture). */
export type BootAnswerProvider = (
  request: DhcpRequest,
  assigned: Ipv4Address,
  /** necon's address on the client's link: where the client reaches this node. */
  serverAddress: Ipv4Address,
) => BootAnswer | undefined | Promise<BootAnswer | undefined>;

export function isPxeClient(request: DhcpRequest): boolean {
  return request.vendorClass?.startsWith("PXEClient") === true || request.architectures.length > 0;
}
