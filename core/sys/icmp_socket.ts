import { SOCK_RAW } from "./constants.ts";
import { DatagramFd } from "./fd.ts";
import { lastError, libc } from "./libc.ts";
import type { Poller } from "./poller.ts";
import { decodeSockaddrIn, encodeSockaddrIn, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { openInetSocket, type ReceivedInto } from "./udp.ts";

const IPPROTO_ICMP = 1;

export interface IcmpDatagram {
  /** The whole IPv4 packet (raw sockets deliver the IP header too). */
  data: Uint8Array<ArrayBuffer>;
  address: string;
}

/**
 * A raw ICMP socket (needs CAP_NET_RAW), optionally pinned to one interface: the kernel writes the IP
 * header of what is sent; received packets include theirs. Used to ask "is anyone using this address?".
 */
export class IcmpSocket extends DatagramFd<ReceivedInto, IcmpDatagram> {
  readonly label: string;

  private constructor(fd: number, label: string, poller?: Poller) {
    super(fd, SOCKADDR_IN_SIZE, poller);
    this.label = label;
  }

  static open(options: { device?: string; poller?: Poller } = {}): IcmpSocket {
    const { fd, label } = openInetSocket(SOCK_RAW, IPPROTO_ICMP, "icmp", {
      device: options.device,
      reuseAddress: false,
    });
    return new IcmpSocket(fd, label, options.poller);
  }

  /** Sends one ICMP message (header + body) to `address`. */
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

  protected withData(received: ReceivedInto, data: Uint8Array<ArrayBuffer>): IcmpDatagram {
    return { data, address: received.address };
  }
}
