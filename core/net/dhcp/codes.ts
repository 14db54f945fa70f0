// Numbers of the DHCPv4 wire format: ports, BOOTP header values, option codes (RFC 2132 and the RFCs
// named beside each) and message types (option 53).

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;

/** BOOTP `op`. */
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;

/** `htype` for Ethernet (ARP hardware type 1), with its `hlen`. */
export const HTYPE_ETHERNET = 1;
export const HLEN_ETHERNET = 6;

/** `flags` bit asking the server to broadcast its reply (RFC 2131 §2); the other 15 bits must be 0. */
export const DHCP_FLAG_BROADCAST = 0x8000;

/** 99.130.83.99, first in the vendor area, marks the rest as DHCP options (RFC 2132 §2). */
export const DHCP_MAGIC_COOKIE = 0x63825363;

export const DHCP_OPTION_PAD = 0;
export const DHCP_OPTION_SUBNET_MASK = 1;
export const DHCP_OPTION_TIME_OFFSET = 2;
export const DHCP_OPTION_ROUTER = 3;
export const DHCP_OPTION_DNS_SERVERS = 6;
export const DHCP_OPTION_HOST_NAME = 12;
export const DHCP_OPTION_BOOT_FILE_SIZE = 13;
export const DHCP_OPTION_DOMAIN_NAME = 15;
export const DHCP_OPTION_ROOT_PATH = 17;
export const DHCP_OPTION_INTERFACE_MTU = 26;
export const DHCP_OPTION_BROADCAST_ADDRESS = 28;
export const DHCP_OPTION_STATIC_ROUTES = 33;
export const DHCP_OPTION_NTP_SERVERS = 42;
export const DHCP_OPTION_VENDOR_SPECIFIC = 43;
export const DHCP_OPTION_REQUESTED_IP = 50;
export const DHCP_OPTION_LEASE_TIME = 51;
export const DHCP_OPTION_OVERLOAD = 52;
export const DHCP_OPTION_MESSAGE_TYPE = 53;
export const DHCP_OPTION_SERVER_ID = 54;
export const DHCP_OPTION_PARAMETER_REQUEST_LIST = 55;
export const DHCP_OPTION_MESSAGE = 56;
export const DHCP_OPTION_MAX_MESSAGE_SIZE = 57;
export const DHCP_OPTION_RENEWAL_TIME = 58;
export const DHCP_OPTION_REBINDING_TIME = 59;
export const DHCP_OPTION_VENDOR_CLASS_ID = 60;
export const DHCP_OPTION_CLIENT_ID = 61;
export const DHCP_OPTION_TFTP_SERVER_NAME = 66;
export const DHCP_OPTION_BOOTFILE_NAME = 67;
export const DHCP_OPTION_USER_CLASS = 77;
/** RFC 4039. */
export const DHCP_OPTION_RAPID_COMMIT = 80;
/** RFC 4702. */
export const DHCP_OPTION_CLIENT_FQDN = 81;
/** RFC 3046. */
export const DHCP_OPTION_RELAY_AGENT_INFORMATION = 82;
/** RFC 4578. */
export const DHCP_OPTION_CLIENT_SYSTEM_ARCHITECTURE = 93;
/** RFC 4578. */
export const DHCP_OPTION_CLIENT_NETWORK_INTERFACE_ID = 94;
/** RFC 4578. */
export const DHCP_OPTION_CLIENT_MACHINE_ID = 97;
/** RFC 3397. */
export const DHCP_OPTION_DOMAIN_SEARCH = 119;
/** RFC 3442. */
export const DHCP_OPTION_CLASSLESS_STATIC_ROUTES = 121;
/** RFC 5859 / Cisco. */
export const DHCP_OPTION_TFTP_SERVER_ADDRESSES = 150;
/** iPXE's encapsulated options: its presence tells that the client is iPXE. */
export const DHCP_OPTION_IPXE_ENCAPSULATED = 175;
export const DHCP_OPTION_END = 255;

/** Option 53 values (RFC 2132 §9.6, RFC 3203 FORCERENEW, RFC 4388 leasequery). */
export const DHCPDISCOVER = 1;
export const DHCPOFFER = 2;
export const DHCPREQUEST = 3;
export const DHCPDECLINE = 4;
export const DHCPACK = 5;
export const DHCPNAK = 6;
export const DHCPRELEASE = 7;
export const DHCPINFORM = 8;
export const DHCPFORCERENEW = 9;
export const DHCPLEASEQUERY = 10;
export const DHCPLEASEUNASSIGNED = 11;
export const DHCPLEASEUNKNOWN = 12;
export const DHCPLEASEACTIVE = 13;

const MESSAGE_TYPE_NAMES: readonly string[] = [
  "",
  "DHCPDISCOVER",
  "DHCPOFFER",
  "DHCPREQUEST",
  "DHCPDECLINE",
  "DHCPACK",
  "DHCPNAK",
  "DHCPRELEASE",
  "DHCPINFORM",
  "DHCPFORCERENEW",
  "DHCPLEASEQUERY",
  "DHCPLEASEUNASSIGNED",
  "DHCPLEASEUNKNOWN",
  "DHCPLEASEACTIVE",
];

/** "DHCPDISCOVER" for 1; unknown types read "DHCP message type 42", for logs. */
export function messageTypeName(type: number): string {
  return MESSAGE_TYPE_NAMES[type] || `DHCP message type ${type}`;
}
