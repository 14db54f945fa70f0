import type { Ipv4Address } from "../net/ipv4addr.ts";
import type { MacAddress } from "../net/mac.ts";

/** DHCP message types (option 53), RFC 2132 §9.6. */
export const DISCOVER = 1, OFFER = 2, REQUEST = 3, DECLINE = 4, ACK = 5, NAK = 6, RELEASE = 7, INFORM = 8;

export const messageTypeNames: Record<number, string> = {
  [DISCOVER]: "DISCOVER",
  [OFFER]: "OFFER",
  [REQUEST]: "REQUEST",
  [DECLINE]: "DECLINE",
  [ACK]: "ACK",
  [NAK]: "NAK",
  [RELEASE]: "RELEASE",
  [INFORM]: "INFORM",
};

/** What the server logic needs from a client's message, lifted out of the codec once. */
export interface DhcpRequest {
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

/** Where the request came in. */
export interface Arrival {
  interfaceName: string;
  /** Our address on that interface: the server identifier we answer with. */
  serverAddress: Ipv4Address;
}
