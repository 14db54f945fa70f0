import {
  AF_PACKET,
  MSG_TRUNC,
  PACKET_IGNORE_OUTGOING,
  PACKET_OUTGOING,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_PACKET,
} from "./constants.ts";
import { OwnedFd, retryableOrThrow } from "./fd.ts";
import { interfaceIndex } from "./iface.ts";
import { check, closeQuietly, lastError, libc } from "./libc.ts";
import type { Poller, WaitOptions } from "./poller.ts";
import { decodeSockaddrLl, encodeSockaddrLl, SOCKADDR_LL_SIZE } from "./sockaddr.ts";

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

export interface FrameInto {
  length: number;
  truncated: boolean;
  ifindex: number;
  packetType: number;
}

const MAX_FRAME = 65536;

/** An AF_PACKET SOCK_RAW socket bound to one interface: whole Ethernet frames in and out. */
export class PacketSocket extends OwnedFd {
  readonly label: string;
  readonly device: string;
  readonly ifindex: number;
  readonly ethertype: number;
  readonly #includeOutgoing: boolean;
  readonly #source = new Uint8Array(SOCKADDR_LL_SIZE);
  readonly #sourceLength = new Uint8Array(4);
  readonly #sourceLengthView = new DataView(this.#sourceLength.buffer);
  #receiveBuffer: Uint8Array<ArrayBuffer> | undefined;

  private constructor(fd: number, options: PacketSocketOptions, ifindex: number) {
    super(fd, options.poller);
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
        // Kernel 4.20+ filters our own sends; older kernels are covered by the packet-type check below.
        const one = new Uint8Array(new Int32Array([1]).buffer);
        lib.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, one, 4);
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

  /** One sync receive into `buffer`, or null when no frame is queued. */
  tryReceiveInto(buffer: Uint8Array): FrameInto | null {
    const lib = libc();
    // Outgoing frames are skipped here only on kernels without PACKET_IGNORE_OUTGOING; bounded by what
    // is queued, since each turn consumes one frame.
    for (;;) {
      this.#sourceLengthView.setUint32(0, SOCKADDR_LL_SIZE, true);
      const length = lib.recvfrom(
        this.fd,
        buffer,
        BigInt(buffer.length),
        MSG_TRUNC,
        this.#source,
        this.#sourceLength,
      );
      if (length < 0) return retryableOrThrow(lastError("recvfrom", this.label));
      const source = decodeSockaddrLl(this.#source, this.#sourceLengthView.getUint32(0, true));
      if (source.packetType === PACKET_OUTGOING && !this.#includeOutgoing) continue;
      return {
        length: Math.min(length, buffer.length),
        truncated: length > buffer.length,
        ifindex: source.ifindex,
        packetType: source.packetType,
      };
    }
  }

  tryReceive(): Frame | null {
    this.#receiveBuffer ??= new Uint8Array(MAX_FRAME);
    const received = this.tryReceiveInto(this.#receiveBuffer);
    if (received === null) return null;
    return {
      data: this.#receiveBuffer.slice(0, received.length),
      ifindex: received.ifindex,
      packetType: received.packetType,
    };
  }

  /** The next frame: taken at once if queued, else after the socket becomes readable. */
  receive(options?: WaitOptions): Promise<Frame> {
    return this.untilReadable(() => this.tryReceive(), options);
  }

  receiveInto(buffer: Uint8Array, options?: WaitOptions): Promise<FrameInto> {
    return this.untilReadable(() => this.tryReceiveInto(buffer), options);
  }
}
