import { UdpSocket } from "./udp.ts";

/**
 * The local address the kernel would send from to reach `destination` (in the calling thread's
 * namespace): connect() on a UDP socket picks the route and source without sending anything. Raw-socket
 * senders need it for the TCP/UDP pseudo-header checksum.
 */
export function sourceAddressFor(destination: string, device?: string): string {
  const socket = UdpSocket.open({ device });
  try {
    socket.connect(destination, 9);
    return socket.localAddress().address;
  } finally {
    socket.close();
  }
}
