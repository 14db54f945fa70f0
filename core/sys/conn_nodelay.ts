import { IPPROTO_TCP, TCP_NODELAY } from "./constants.ts";
import { libc } from "./libc.ts";
import { decodeSockaddrIn } from "./sockaddr.ts";
import { setIntOption } from "./sockopt.ts";

const SOCKADDR_SPACE = 128;

function addressOf(
  call: (fd: number, address: Uint8Array, length: Uint8Array) => number,
  fd: number,
): string | undefined {
  const address = new Uint8Array(SOCKADDR_SPACE);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, SOCKADDR_SPACE, true);
  if (call(fd, address, length) < 0) return undefined;
  try {
    const decoded = decodeSockaddrIn(address, new DataView(length.buffer).getUint32(0, true));
    return `${decoded.address}:${decoded.port}`;
  } catch {
    return undefined; // not IPv4 (or not a socket address at all)
  }
}

/**
 * The fd of this process's IPv4 TCP socket connected from `local` to `remote` ("address:port" each),
 * found among /proc/self/fd by its two addresses, which only one socket can have.
 */
export function findTcpSocket(local: string, remote: string): number | undefined {
  const lib = libc();
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    const fd = Number(entry.name);
    let target: string;
    try {
      target = Deno.readLinkSync(`/proc/self/fd/${entry.name}`);
    } catch {
      continue; // closed meanwhile (readDir's own fd, say)
    }
    if (!target.startsWith("socket:")) continue;
    if (addressOf(lib.getpeername, fd) === remote && addressOf(lib.getsockname, fd) === local) return fd;
  }
  return undefined;
}

/**
 * Sets TCP_NODELAY on the connection from `local` to `remote`, for connections Deno owns without a
 * setNoDelay (the TlsConn Deno.listenTls accepts); false if no such socket was found.
 */
export function setNoDelayByAddresses(local: string, remote: string): boolean {
  const fd = findTcpSocket(local, remote);
  if (fd === undefined) return false;
  setIntOption(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
  return true;
}
