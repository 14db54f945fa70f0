import { IPPROTO_ICMP, SOCK_RAW } from "./constants.ts";
import { DatagramFd } from "./fd.ts";
import { lastError, libc } from "./libc.ts";
import type { Poller } from "./poller.ts";
import { decodeSockaddrIn, encodeSockaddrIn, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { openInetSocket } from "./inet_socket.ts";
import type { ReceivedInto } from "./udp.ts";

export interface RawIpDatagram {
  /** The whole IPv4 packet (raw sockets deliver the IP header too). */
  data: Uint8Array<ArrayBuffer>;
  address: string;
}

export interface RawIpSocketOptions {
  /** The IP protocol sent and received: IPPROTO_ICMP, IPPROTO_TCP … */
  protocol: number;
  device?: string;
  poller?: Poller;
  /** Room for answers that arrive faster than they are read (forced past rmem_max: needs CAP_NET_ADMIN). */
  receiveBufferBytes?: number;
}

/**
 * A raw IPv4 socket for one protocol (needs CAP_NET_RAW), optionally pinned to one interface: the kernel
 * writes the IP header of what is sent; received packets include theirs, and every inbound packet of
 * the protocol arrives here too (a copy; the kernel's own stack still handles it). ICMP echo probes and
 * TCP SYN scans use it.
 */
export class RawIpSocket extends DatagramFd<ReceivedInto, RawIpDatagram> {
  readonly label: string;

  protected constructor(fd: number, label: string, poller?: Poller) {
    super(fd, SOCKADDR_IN_SIZE, poller);
    this.label = label;
  }

  static open(options: RawIpSocketOptions): RawIpSocket {
    const { fd, label } = openInetSocket(SOCK_RAW, options.protocol, `raw ip/${options.protocol}`, {
      device: options.device,
      reuseAddress: false,
      receiveBufferBytes: options.receiveBufferBytes,
      forceReceiveBuffer: options.receiveBufferBytes !== undefined,
    });
    return new RawIpSocket(fd, label, options.poller);
  }

  /** Sends one transport message (its header + body, checksum included) to `address`. */
  sendTo(message: Uint8Array, address: string): number {
    const destination = encodeSockaddrIn(address, 0);
    const sent = libc().sendto(this.fd, message, BigInt(message.length), 0, destination, destination.length);
    if (sent < 0) throw lastError("sendto", `${address} from ${this.label}`);
    return sent;
  }

  protected describeReceived(length: number, truncated: boolean, source: Uint8Array, sourceLength: number) {
    const { address, port } = decodeSockaddrIn(source, sourceLength);
    return { length, truncated, address, port };
  }

  protected withData(received: ReceivedInto, data: Uint8Array<ArrayBuffer>): RawIpDatagram {
    return { data, address: received.address };
  }
}

/** A raw ICMP socket: ping-style probes ("is anyone using this address?"). */
export class IcmpSocket extends RawIpSocket {
  static override open(options: { device?: string; poller?: Poller } = {}): IcmpSocket {
    const { fd, label } = openInetSocket(SOCK_RAW, IPPROTO_ICMP, "icmp", {
      device: options.device,
      reuseAddress: false,
    });
    return new IcmpSocket(fd, label, options.poller);
  }
}

export type IcmpDatagram = RawIpDatagram;
