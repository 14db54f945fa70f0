import type { Decoded } from "../errors.ts";
import type { Ipv4Address } from "../ipv4addr.ts";
import {
  DHCP_OPTION_BOOTFILE_NAME,
  DHCP_OPTION_BROADCAST_ADDRESS,
  DHCP_OPTION_CLASSLESS_STATIC_ROUTES,
  DHCP_OPTION_CLIENT_ID,
  DHCP_OPTION_CLIENT_MACHINE_ID,
  DHCP_OPTION_CLIENT_NETWORK_INTERFACE_ID,
  DHCP_OPTION_CLIENT_SYSTEM_ARCHITECTURE,
  DHCP_OPTION_DNS_SERVERS,
  DHCP_OPTION_DOMAIN_NAME,
  DHCP_OPTION_DOMAIN_SEARCH,
  DHCP_OPTION_HOST_NAME,
  DHCP_OPTION_INTERFACE_MTU,
  DHCP_OPTION_LEASE_TIME,
  DHCP_OPTION_MAX_MESSAGE_SIZE,
  DHCP_OPTION_MESSAGE,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_NTP_SERVERS,
  DHCP_OPTION_PARAMETER_REQUEST_LIST,
  DHCP_OPTION_REBINDING_TIME,
  DHCP_OPTION_RELAY_AGENT_INFORMATION,
  DHCP_OPTION_RENEWAL_TIME,
  DHCP_OPTION_REQUESTED_IP,
  DHCP_OPTION_ROUTER,
  DHCP_OPTION_SERVER_ID,
  DHCP_OPTION_SUBNET_MASK,
  DHCP_OPTION_TFTP_SERVER_ADDRESSES,
  DHCP_OPTION_TFTP_SERVER_NAME,
  DHCP_OPTION_TIME_OFFSET,
  DHCP_OPTION_USER_CLASS,
  DHCP_OPTION_VENDOR_CLASS_ID,
  DHCP_OPTION_VENDOR_SPECIFIC,
} from "./codes.ts";
import {
  getOption,
  type HasOptions,
  I32,
  IPV4,
  IPV4_LIST,
  RAW,
  setOption,
  TEXT,
  U16,
  U16_LIST,
  U32,
  U8,
  U8_LIST,
} from "./values.ts";
import { CLIENT_IDENTIFIER, type ClientIdentifier } from "./client_id.ts";
import { USER_CLASS, type UserClass } from "./user_class.ts";
import { RELAY_AGENT_INFORMATION } from "./relay_agent.ts";
import type { SubOption } from "./suboptions.ts";
import {
  CLIENT_MACHINE_ID,
  CLIENT_NETWORK_INTERFACE_ID,
  type MachineId,
  type NetworkInterfaceId,
} from "./pxe.ts";
import { DOMAIN_SEARCH } from "./domain_search.ts";
import { CLASSLESS_ROUTES, type ClasslessRoute } from "./routes.ts";

// Typed accessors for the options a DHCP server and its clients use. Each getter returns undefined when
// the option is absent, { ok: true, value } when it decodes and { ok: false, error } (a DecodeError
// labelled "dhcp option N") when the peer sent it malformed; `okValue(getter(msg))` gives the value or
// undefined. Each setter encodes the value (throwing RangeError if it cannot be encoded) and stores it,
// replacing an earlier value; a new option goes after those already set, so set them in the order they
// should appear on the wire (the message type first).

/** Option 1. */
export function subnetMask(message: HasOptions): Decoded<Ipv4Address> | undefined {
  return getOption(message, DHCP_OPTION_SUBNET_MASK, IPV4);
}
export function setSubnetMask(message: HasOptions, value: Ipv4Address): void {
  setOption(message, DHCP_OPTION_SUBNET_MASK, IPV4, value);
}

/** Option 2: seconds east of UTC (signed). */
export function timeOffset(message: HasOptions): Decoded<number> | undefined {
  return getOption(message, DHCP_OPTION_TIME_OFFSET, I32);
}
export function setTimeOffset(message: HasOptions, value: number): void {
  setOption(message, DHCP_OPTION_TIME_OFFSET, I32, value);
}

/** Option 3, in order of preference. */
export function routers(message: HasOptions): Decoded<Ipv4Address[]> | undefined {
  return getOption(message, DHCP_OPTION_ROUTER, IPV4_LIST);
}
export function setRouters(message: HasOptions, value: Ipv4Address[]): void {
  setOption(message, DHCP_OPTION_ROUTER, IPV4_LIST, value);
}

/** Option 6. */
export function dnsServers(message: HasOptions): Decoded<Ipv4Address[]> | undefined {
  return getOption(message, DHCP_OPTION_DNS_SERVERS, IPV4_LIST);
}
export function setDnsServers(message: HasOptions, value: Ipv4Address[]): void {
  setOption(message, DHCP_OPTION_DNS_SERVERS, IPV4_LIST, value);
}

/** Option 12. */
export function hostName(message: HasOptions): Decoded<string> | undefined {
  return getOption(message, DHCP_OPTION_HOST_NAME, TEXT);
}
export function setHostName(message: HasOptions, value: string): void {
  setOption(message, DHCP_OPTION_HOST_NAME, TEXT, value);
}

/** Option 15. */
export function domainName(message: HasOptions): Decoded<string> | undefined {
  return getOption(message, DHCP_OPTION_DOMAIN_NAME, TEXT);
}
export function setDomainName(message: HasOptions, value: string): void {
  setOption(message, DHCP_OPTION_DOMAIN_NAME, TEXT, value);
}

/** Option 26. */
export function interfaceMtu(message: HasOptions): Decoded<number> | undefined {
  return getOption(message, DHCP_OPTION_INTERFACE_MTU, U16);
}
export function setInterfaceMtu(message: HasOptions, value: number): void {
  setOption(message, DHCP_OPTION_INTERFACE_MTU, U16, value);
}

/** Option 28. */
export function broadcastAddress(message: HasOptions): Decoded<Ipv4Address> | undefined {
  return getOption(message, DHCP_OPTION_BROADCAST_ADDRESS, IPV4);
}
export function setBroadcastAddress(message: HasOptions, value: Ipv4Address): void {
  setOption(message, DHCP_OPTION_BROADCAST_ADDRESS, IPV4, value);
}

/** Option 42. */
export function ntpServers(message: HasOptions): Decoded<Ipv4Address[]> | undefined {
  return getOption(message, DHCP_OPTION_NTP_SERVERS, IPV4_LIST);
}
export function setNtpServers(message: HasOptions, value: Ipv4Address[]): void {
  setOption(message, DHCP_OPTION_NTP_SERVERS, IPV4_LIST, value);
}

/** Option 43, raw (see vendor.ts for encapsulated sub-options). */
export function vendorSpecific(message: HasOptions): Decoded<Uint8Array> | undefined {
  return getOption(message, DHCP_OPTION_VENDOR_SPECIFIC, RAW);
}
export function setVendorSpecific(message: HasOptions, value: Uint8Array): void {
  setOption(message, DHCP_OPTION_VENDOR_SPECIFIC, RAW, value);
}

/** Option 50. */
export function requestedIp(message: HasOptions): Decoded<Ipv4Address> | undefined {
  return getOption(message, DHCP_OPTION_REQUESTED_IP, IPV4);
}
export function setRequestedIp(message: HasOptions, value: Ipv4Address): void {
  setOption(message, DHCP_OPTION_REQUESTED_IP, IPV4, value);
}

/** Option 51, seconds (0xffffffff: infinite). */
export function leaseTime(message: HasOptions): Decoded<number> | undefined {
  return getOption(message, DHCP_OPTION_LEASE_TIME, U32);
}
export function setLeaseTime(message: HasOptions, value: number): void {
  setOption(message, DHCP_OPTION_LEASE_TIME, U32, value);
}

/** Option 53: DHCPDISCOVER ... (codes.ts). */
export function messageType(message: HasOptions): Decoded<number> | undefined {
  return getOption(message, DHCP_OPTION_MESSAGE_TYPE, U8);
}
export function setMessageType(message: HasOptions, value: number): void {
  setOption(message, DHCP_OPTION_MESSAGE_TYPE, U8, value);
}

/** Option 54. */
export function serverId(message: HasOptions): Decoded<Ipv4Address> | undefined {
  return getOption(message, DHCP_OPTION_SERVER_ID, IPV4);
}
export function setServerId(message: HasOptions, value: Ipv4Address): void {
  setOption(message, DHCP_OPTION_SERVER_ID, IPV4, value);
}

/** Option 55, in the client's order (RFC 2131 §4.3.1: servers should answer in that order). */
export function parameterRequestList(message: HasOptions): Decoded<number[]> | undefined {
  return getOption(message, DHCP_OPTION_PARAMETER_REQUEST_LIST, U8_LIST);
}
export function setParameterRequestList(message: HasOptions, value: number[]): void {
  setOption(message, DHCP_OPTION_PARAMETER_REQUEST_LIST, U8_LIST, value);
}

/** Option 56: why a DHCPNAK or DHCPDECLINE was sent. */
export function serverMessage(message: HasOptions): Decoded<string> | undefined {
  return getOption(message, DHCP_OPTION_MESSAGE, TEXT);
}
export function setServerMessage(message: HasOptions, value: string): void {
  setOption(message, DHCP_OPTION_MESSAGE, TEXT, value);
}

/** Option 57 as sent; encodeDhcp raises values below 576. */
export function maxMessageSize(message: HasOptions): Decoded<number> | undefined {
  return getOption(message, DHCP_OPTION_MAX_MESSAGE_SIZE, U16);
}
export function setMaxMessageSize(message: HasOptions, value: number): void {
  setOption(message, DHCP_OPTION_MAX_MESSAGE_SIZE, U16, value);
}

/** Option 58, T1 in seconds. */
export function renewalTime(message: HasOptions): Decoded<number> | undefined {
  return getOption(message, DHCP_OPTION_RENEWAL_TIME, U32);
}
export function setRenewalTime(message: HasOptions, value: number): void {
  setOption(message, DHCP_OPTION_RENEWAL_TIME, U32, value);
}

/** Option 59, T2 in seconds. */
export function rebindingTime(message: HasOptions): Decoded<number> | undefined {
  return getOption(message, DHCP_OPTION_REBINDING_TIME, U32);
}
export function setRebindingTime(message: HasOptions, value: number): void {
  setOption(message, DHCP_OPTION_REBINDING_TIME, U32, value);
}

/** Option 60, e.g. "PXEClient:Arch:00007:UNDI:003016". */
export function vendorClassId(message: HasOptions): Decoded<string> | undefined {
  return getOption(message, DHCP_OPTION_VENDOR_CLASS_ID, TEXT);
}
export function setVendorClassId(message: HasOptions, value: string): void {
  setOption(message, DHCP_OPTION_VENDOR_CLASS_ID, TEXT, value);
}

/** Option 61 (see client_id.ts; clientKey for lease lookups). */
export function clientIdentifier(message: HasOptions): Decoded<ClientIdentifier> | undefined {
  return getOption(message, DHCP_OPTION_CLIENT_ID, CLIENT_IDENTIFIER);
}
export function setClientIdentifier(message: HasOptions, value: ClientIdentifier): void {
  setOption(message, DHCP_OPTION_CLIENT_ID, CLIENT_IDENTIFIER, value);
}

/** Option 66. */
export function tftpServerName(message: HasOptions): Decoded<string> | undefined {
  return getOption(message, DHCP_OPTION_TFTP_SERVER_NAME, TEXT);
}
export function setTftpServerName(message: HasOptions, value: string): void {
  setOption(message, DHCP_OPTION_TFTP_SERVER_NAME, TEXT, value);
}

/** Option 67. */
export function bootfileName(message: HasOptions): Decoded<string> | undefined {
  return getOption(message, DHCP_OPTION_BOOTFILE_NAME, TEXT);
}
export function setBootfileName(message: HasOptions, value: string): void {
  setOption(message, DHCP_OPTION_BOOTFILE_NAME, TEXT, value);
}

/** Option 77 (RFC 3004, or iPXE's plain string). */
export function userClass(message: HasOptions): Decoded<UserClass> | undefined {
  return getOption(message, DHCP_OPTION_USER_CLASS, USER_CLASS);
}
export function setUserClass(message: HasOptions, value: UserClass): void {
  setOption(message, DHCP_OPTION_USER_CLASS, USER_CLASS, value);
}

/** Option 82's sub-options; echo `options.get(82)` itself back to the relay. */
export function relayAgentInformation(message: HasOptions): Decoded<SubOption[]> | undefined {
  return getOption(message, DHCP_OPTION_RELAY_AGENT_INFORMATION, RELAY_AGENT_INFORMATION);
}
export function setRelayAgentInformation(message: HasOptions, value: SubOption[]): void {
  setOption(message, DHCP_OPTION_RELAY_AGENT_INFORMATION, RELAY_AGENT_INFORMATION, value);
}

/** Option 93 (pxe.ts names the values). */
export function clientSystemArchitectures(message: HasOptions): Decoded<number[]> | undefined {
  return getOption(message, DHCP_OPTION_CLIENT_SYSTEM_ARCHITECTURE, U16_LIST);
}
export function setClientSystemArchitectures(message: HasOptions, value: number[]): void {
  setOption(message, DHCP_OPTION_CLIENT_SYSTEM_ARCHITECTURE, U16_LIST, value);
}

/** Option 94. */
export function clientNetworkInterfaceId(message: HasOptions): Decoded<NetworkInterfaceId> | undefined {
  return getOption(message, DHCP_OPTION_CLIENT_NETWORK_INTERFACE_ID, CLIENT_NETWORK_INTERFACE_ID);
}
export function setClientNetworkInterfaceId(message: HasOptions, value: NetworkInterfaceId): void {
  setOption(message, DHCP_OPTION_CLIENT_NETWORK_INTERFACE_ID, CLIENT_NETWORK_INTERFACE_ID, value);
}

/** Option 97. */
export function clientMachineId(message: HasOptions): Decoded<MachineId> | undefined {
  return getOption(message, DHCP_OPTION_CLIENT_MACHINE_ID, CLIENT_MACHINE_ID);
}
export function setClientMachineId(message: HasOptions, value: MachineId): void {
  setOption(message, DHCP_OPTION_CLIENT_MACHINE_ID, CLIENT_MACHINE_ID, value);
}

/** Option 119 (RFC 3397). */
export function domainSearch(message: HasOptions): Decoded<string[]> | undefined {
  return getOption(message, DHCP_OPTION_DOMAIN_SEARCH, DOMAIN_SEARCH);
}
export function setDomainSearch(message: HasOptions, value: string[]): void {
  setOption(message, DHCP_OPTION_DOMAIN_SEARCH, DOMAIN_SEARCH, value);
}

/** Option 121 (RFC 3442). */
export function classlessStaticRoutes(message: HasOptions): Decoded<ClasslessRoute[]> | undefined {
  return getOption(message, DHCP_OPTION_CLASSLESS_STATIC_ROUTES, CLASSLESS_ROUTES);
}
export function setClasslessStaticRoutes(message: HasOptions, value: ClasslessRoute[]): void {
  setOption(message, DHCP_OPTION_CLASSLESS_STATIC_ROUTES, CLASSLESS_ROUTES, value);
}

/** Option 150. */
export function tftpServerAddresses(message: HasOptions): Decoded<Ipv4Address[]> | undefined {
  return getOption(message, DHCP_OPTION_TFTP_SERVER_ADDRESSES, IPV4_LIST);
}
export function setTftpServerAddresses(message: HasOptions, value: Ipv4Address[]): void {
  setOption(message, DHCP_OPTION_TFTP_SERVER_ADDRESSES, IPV4_LIST, value);
}
