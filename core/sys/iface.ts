import {
  AF_INET,
  IFF_UP,
  SIOCGIFFLAGS,
  SIOCGIFHWADDR,
  SIOCGIFINDEX,
  SIOCGIFMTU,
  SIOCSIFFLAGS,
  SIOCSIFMTU,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
} from "./constants.ts";
import { Errno, SysError } from "./errno.ts";
import { IFREQ_UNION, interfaceNameBytes, newIfreq } from "./ifreq.ts";
import { check, closeQuietly, lastError, libc } from "./libc.ts";

// Interface queries and settings through ioctl on a throwaway socket. The socket is opened per call, in
// the calling thread's network namespace, which is what makes these work inside withNetns().

function withControlSocket<T>(use: (fd: number) => T): T {
  const fd = check(libc().socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket", "interface control");
  try {
    return use(fd);
  } finally {
    closeQuietly(fd);
  }
}

function ioctl(fd: number, request: bigint, requestName: string, ifreq: Uint8Array, name: string): void {
  if (libc().ioctlPointer(fd, request, ifreq) < 0) throw lastError(`ioctl(${requestName})`, name);
}

/** The interface's index (as in `ip link`), via if_nametoindex. Throws SysError ENODEV when missing. */
export function interfaceIndex(name: string): number {
  const index = libc().if_nametoindex(interfaceNameBytes(name));
  if (index === 0) throw lastError("if_nametoindex", name);
  return index;
}

/** The interface's index via ioctl SIOCGIFINDEX (same answer as interfaceIndex, no glibc helper). */
export function interfaceIndexByIoctl(name: string): number {
  const { bytes, view } = newIfreq(name);
  withControlSocket((fd) => ioctl(fd, SIOCGIFINDEX, "SIOCGIFINDEX", bytes, name));
  return view.getInt32(IFREQ_UNION, true);
}

/**
 * The hardware (MAC) address: 6 bytes for Ethernet, veth and TAP interfaces. As text:
 * formatMac(macFromBytes(bytes)) from core/net/mac.ts.
 */
export function macAddress(name: string): Uint8Array<ArrayBuffer> {
  const { bytes } = newIfreq(name);
  withControlSocket((fd) => ioctl(fd, SIOCGIFHWADDR, "SIOCGIFHWADDR", bytes, name));
  // ifr_hwaddr is a struct sockaddr: sa_family (ARPHRD_*) then the address bytes in sa_data.
  return bytes.slice(IFREQ_UNION + 2, IFREQ_UNION + 8);
}

/** IFF_* flags (IFF_UP, IFF_RUNNING, …) of the interface. */
export function linkFlags(name: string): number {
  const { bytes, view } = newIfreq(name);
  withControlSocket((fd) => ioctl(fd, SIOCGIFFLAGS, "SIOCGIFFLAGS", bytes, name));
  return view.getUint16(IFREQ_UNION, true);
}

export function isLinkUp(name: string): boolean {
  return (linkFlags(name) & IFF_UP) !== 0;
}

/** Sets the interface administratively up or down (like `ip link set NAME up`). Needs CAP_NET_ADMIN. */
export function setLinkUp(name: string, up: boolean): void {
  const { bytes, view } = newIfreq(name);
  withControlSocket((fd) => {
    ioctl(fd, SIOCGIFFLAGS, "SIOCGIFFLAGS", bytes, name);
    const flags = view.getUint16(IFREQ_UNION, true);
    const wanted = up ? flags | IFF_UP : flags & ~IFF_UP;
    if (wanted === flags) return;
    view.setUint16(IFREQ_UNION, wanted, true);
    ioctl(fd, SIOCSIFFLAGS, "SIOCSIFFLAGS", bytes, name);
  });
}

export function mtu(name: string): number {
  const { bytes, view } = newIfreq(name);
  withControlSocket((fd) => ioctl(fd, SIOCGIFMTU, "SIOCGIFMTU", bytes, name));
  return view.getInt32(IFREQ_UNION, true);
}

/** Sets the MTU (like `ip link set NAME mtu N`). Needs CAP_NET_ADMIN. */
export function setMtu(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 68 || value > 65535) throw new RangeError(`invalid MTU: ${value}`);
  const { bytes, view } = newIfreq(name);
  view.setInt32(IFREQ_UNION, value, true);
  withControlSocket((fd) => ioctl(fd, SIOCSIFMTU, "SIOCSIFMTU", bytes, name));
}

/** One IPv4 address configured on an interface, as text (core/net parses it: parseIpv4, parseCidr). */
export interface InterfaceAddress {
  address: string;
  netmask: string;
  /** "10.0.0.1/24" */
  cidr: string;
}

/**
 * The interface's IPv4 addresses, from Deno.networkInterfaces() (which reads the calling thread's
 * namespace). An interface with no IPv4 address gives an empty list; a missing one gives ENODEV.
 */
export function ipv4Addresses(name: string): InterfaceAddress[] {
  const found = Deno.networkInterfaces()
    .filter((entry) => entry.name === name && entry.family === "IPv4")
    .map((entry) => ({ address: entry.address, netmask: entry.netmask, cidr: entry.cidr }));
  // networkInterfaces() lists only interfaces that have addresses; tell "none" from "no such interface".
  if (found.length === 0) interfaceIndex(name);
  return found;
}

/** True when the interface exists in the calling thread's namespace. */
export function interfaceExists(name: string): boolean {
  try {
    interfaceIndex(name);
    return true;
  } catch (error) {
    if (error instanceof SysError && error.errno === Errno.ENODEV) return false;
    throw error;
  }
}
