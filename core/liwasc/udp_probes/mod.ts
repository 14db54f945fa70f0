import type { UdpProbe } from "./probe.ts";
import { neverThrowing } from "./guard.ts";
import { DNS_PORT, dnsProbe } from "./dns.ts";
import { NTP_PORT, ntpProbe } from "./ntp.ts";
import { SNMP_PORT, snmpProbe } from "./snmp.ts";
import { NETBIOS_NS_PORT, netbiosProbe } from "./netbios.ts";
import { SSDP_PORT, ssdpProbe } from "./ssdp.ts";
import { MDNS_PORT, mdnsProbe } from "./mdns.ts";
import { TFTP_PORT, tftpProbe } from "./tftp.ts";
import { RPCBIND_PORT, rpcbindProbe } from "./rpcbind.ts";
import { MEMCACHED_PORT, memcachedProbe } from "./memcached.ts";
import { SIP_PORT, sipProbe } from "./sip.ts";
import { IKE_PORT, ikeProbe } from "./ike.ts";
import { genericProbe } from "./generic.ts";

// Payloads for liwasc's UDP scan: probeFor(port) gives the datagram to send to a port and recognises the
// service in a reply. Each call makes a fresh probe with new random transaction IDs, so use one probe per
// target and port, for its first send and any retransmission alike.
//
// Not probed on purpose: DHCP (67), since a DISCOVER could get a lease handed out or logged as a client;
// syslog and other receive-only services, which never answer.

export type { Recognition, UdpProbe } from "./probe.ts";

const FACTORIES: ReadonlyMap<number, () => UdpProbe> = new Map([
  [DNS_PORT, () => dnsProbe()],
  [TFTP_PORT, () => tftpProbe()],
  [RPCBIND_PORT, () => rpcbindProbe()],
  [NTP_PORT, () => ntpProbe()],
  [NETBIOS_NS_PORT, () => netbiosProbe()],
  [SNMP_PORT, () => snmpProbe()],
  [IKE_PORT, () => ikeProbe()],
  [SSDP_PORT, () => ssdpProbe()],
  [SIP_PORT, () => sipProbe()],
  [MDNS_PORT, () => mdnsProbe()],
  [MEMCACHED_PORT, () => memcachedProbe()],
]);

/** Ports with a protocol-specific probe, ascending. */
export const PROBED_PORTS: readonly number[] = [...FACTORIES.keys()].sort((a, b) => a - b);

/** The probe for a UDP port (1 to 65535): a protocol's own, or an empty datagram for other ports. */
export function probeFor(port: number): UdpProbe {
  if (!Number.isInteger(port) || port < 1 || port > 0xffff) {
    throw new RangeError(`UDP port must be an integer from 1 to 65535, got ${port}`);
  }
  return neverThrowing((FACTORIES.get(port) ?? genericProbe)());
}
