import {
  DHCPACK,
  DHCPDECLINE,
  DHCPDISCOVER,
  DHCPINFORM,
  DHCPNAK,
  DHCPOFFER,
  DHCPRELEASE,
  DHCPREQUEST,
} from "../net/dhcp/codes.ts";
import type { Ipv4Address } from "../net/ipv4addr.ts";

/**
 * The message types necon counts by name ("received.DISCOVER", "sent.ACK"); any other type is counted as
 * "type-N".
 */
export const messageTypeNames: Record<number, string> = {
  [DHCPDISCOVER]: "DISCOVER",
  [DHCPOFFER]: "OFFER",
  [DHCPREQUEST]: "REQUEST",
  [DHCPDECLINE]: "DECLINE",
  [DHCPACK]: "ACK",
  [DHCPNAK]: "NAK",
  [DHCPRELEASE]: "RELEASE",
  [DHCPINFORM]: "INFORM",
};

/** Where the request came in. */
export interface Arrival {
  interfaceName: string;
  /** Our address on that interface: the server identifier we answer with. */
  serverAddress: Ipv4Address;
}
