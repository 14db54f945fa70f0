import {
  AF_PACKET,
  PACKET_IGNORE_OUTGOING,
  PACKET_OUTGOING,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_PACKET,
} from "./constants.ts";
import { Errno, SysError } from "./errno.ts";
import { DatagramFd, type ReceivedLength } from "./fd.ts";
import { interfaceIndex } from "./iface.ts";
import { check, closeQuietly, lastError, libc } from "./libc.ts";
import type { Poller } from "./poller.ts";
import { decodeSockaddrLl, encodeSockaddrLl, SOCKADDR_LL_SIZE } from "./sockaddr.ts";
import { setIntOption } from "./sockopt.ts";

export interface PacketSocketOptions {
  /** Interface to bind to. */
  device: string;
  /** Ethertype to receive (host number, e.g. 0x0806 for ARP); ETH_P_ALL (3) for every frame. */
  ethertype: number;
  /**
   * Also receive the frames this host sends on the interface (the kernel's and other sockets'; a
   * socket's own sends never come back to it). The kernel copies outgoing frames to ETH_P_ALL sockets
   * only, so this matters for those. Default false: a scanner wants replies only.
   */
  includeOutgoing?: boolean;
  poller?: Poller;
}

export interface Frame {
  /** The whole Ethernet frame, from destination MAC on (no FCS). */
  data: Uint8Array<ArrayBuffer>;
  ifindex: number;
  /** sll_pkttype: PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST, PACKET_OUTGOING. */
  packetType: number;
}

export interface FrameInto extends ReceivedLength {
  ifindex: number;
  packetType: number;
}

/**
 * An AF_PACKET SOCK_RAW socket bound to one interface: whole Ethernet frames in and out. Receives
 * (tryReceive, tryReceiveInto, receive, receiveInto) come from DatagramFd.
 */
export class PacketSocket extends DatagramFd<FrameInto, Frame> {
  readonly label: string;
  readonly device: string;
  readonly ifindex: number;
  readonly ethertype: number;
  readonly #includeOutgoing: boolean;

  private constructor(fd: number, options: PacketSocketOptions, ifindex: number) {
    super(fd, SOCKADDR_LL_SIZE, options.poller);
    this.device = options.device;
    this.ifindex = ifindex;
    this.ethertype = options.ethertype;
    this.#includeOutgoing = options.includeOutgoing ?? false;
    this.label = `packet ${options.device} 0x${options.ethertype.toString(16).padStart(4, "0")}`;
  }

  /** Opens the socket in the calling thread's network namespace. Needs CAP_NET_RAW. */
  static open(options: PacketSocketOptions): PacketSocket {
    const { device, ethertype } = options;
    if (!Number.isInteger(ethertype) || ethertype < 0 || ethertype > 0xffff) {
      throw new RangeError(`invalid ethertype: ${ethertype}`);
    }
    const ifindex = interfaceIndex(device);
    const lib = libc();
    // Protocol 0 receives nothing until bind() sets interface and ethertype together, so no frame from
    // another interface slips in between socket() and bind().
    const fd = check(
      lib.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
      "socket",
      `packet ${device}`,
    );
    try {
      const address = encodeSockaddrLl(ifindex, ethertype);
      check(lib.bind(fd, address, address.length), "bind", `packet ${device} ifindex ${ifindex}`);
      if (!options.includeOutgoing) {
        try {
          setIntOption(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
        } catch (error) {
          // Kernels before 4.20 lack the option; describeReceived's packet-type check covers them.
          if (!(error instanceof SysError && error.errno === Errno.ENOPROTOOPT)) throw error;
        }
      }
    } catch (error) {
      closeQuietly(fd);
      throw error;
    }
    return new PacketSocket(fd, options, ifindex);
  }

  /**
   * Sends one whole Ethernet frame (destination MAC first) out of the bound interface and returns the
   * bytes sent. A full queue throws SysError EAGAIN rather than waiting.
   */
  send(frame: Uint8Array): number {
    const sent = libc().write(this.fd, frame, BigInt(frame.length));
    if (sent < 0) throw lastError("send", `${frame.length}-byte frame on ${this.device}`);
    return sent;
  }

  protected describeReceived(
    length: number,
    truncated: boolean,
    source: Uint8Array,
    sourceLength: number,
  ): FrameInto | null {
    const { ifindex, packetType } = decodeSockaddrLl(source, sourceLength);
    // Outgoing frames are dropped here only on kernels without PACKET_IGNORE_OUTGOING.
    if (packetType === PACKET_OUTGOING && !this.#includeOutgoing) return null;
    return { length, truncated, ifindex, packetType };
  }

  protected withData(received: FrameInto, data: Uint8Array<ArrayBuffer>): Frame {
    return { data, ifindex: received.ifindex, packetType: received.packetType };
  }
}
