import { IPPROTO_UDP, SOCK_DGRAM, UDP_SEGMENT } from "./constants.ts";
import { DatagramFd, type ReceivedLength } from "./fd.ts";
import { type InetSocketOptions, localInetAddress, openInetSocket } from "./inet_socket.ts";
import { lastError, libc } from "./libc.ts";
import type { Poller } from "./poller.ts";
import { decodeSockaddrIn, encodeSockaddrIn, type InetAddress, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { setIntOption } from "./sockopt.ts";

export interface UdpSocketOptions extends InetSocketOptions {
  poller?: Poller;
}

export interface Datagram {
  data: Uint8Array<ArrayBuffer>;
  address: string;
  port: number;
}

export interface ReceivedInto extends ReceivedLength {
  address: string;
  port: number;
}

/**
 * A UDP/IPv4 socket on a raw O_NONBLOCK fd, optionally pinned to one interface. Receives (tryReceive,
 * tryReceiveInto, receive, receiveInto) come from DatagramFd.
 */
export class UdpSocket extends DatagramFd<ReceivedInto, Datagram> {
  readonly label: string;
  readonly device: string | undefined;

  private constructor(fd: number, label: string, device: string | undefined, poller?: Poller) {
    super(fd, SOCKADDR_IN_SIZE, poller);
    this.label = label;
    this.device = device;
  }

  /** Creates, configures and binds the socket in the calling thread's network namespace. */
  static open(options: UdpSocketOptions = {}): UdpSocket {
    const { fd, label } = openInetSocket(SOCK_DGRAM, 0, "udp", options);
    return new UdpSocket(fd, label, options.device, options.poller);
  }

  /**
   * Opens a socket connected to one peer (see connect): only its datagrams arrive, and what the kernel
   * learns about sends to it (port unreachable) comes back on receive. Closed again when the connect fails.
   */
  static openConnected(address: string, port: number, options: UdpSocketOptions = {}): UdpSocket {
    const socket = UdpSocket.open(options);
    try {
      socket.connect(address, port);
      return socket;
    } catch (error) {
      socket.close();
      throw error;
    }
  }

  /** The bound address and port (the port the kernel chose when 0 was asked for). */
  localAddress(): InetAddress {
    return localInetAddress(this.fd, this.label);
  }

  /**
   * Sends one datagram now and returns the bytes sent. UDP sends do not wait: a full send buffer
   * throws SysError EAGAIN (check with isErrno(error, "EAGAIN")) rather than queueing in JS.
   */
  /**
   * Fixes the peer (connect(2) on a datagram socket): only its datagrams arrive, and ICMP errors for
   * what was sent to it (port unreachable, …) come back as receive errors such as ECONNREFUSED, which
   * is how a UDP scan tells a closed port from a silent one.
   */
  connect(address: string, port: number): void {
    const peer = encodeSockaddrIn(address, port);
    if (libc().connect(this.fd, peer, peer.length) < 0) {
      throw lastError("connect", `${address}:${port} from ${this.label}`);
    }
  }

  /**
   * Turns UDP GSO on (`size` > 0) or off (0): afterwards a send longer than `size` leaves as datagrams
   * of `size` bytes each, cut by the kernel (or the NIC) rather than sent one syscall at a time. False
   * where the kernel has no UDP_SEGMENT.
   */
  segmentDatagrams(size: number): boolean {
    try {
      setIntOption(this.fd, IPPROTO_UDP, UDP_SEGMENT, size, "UDP_SEGMENT");
      return true;
    } catch {
      return false;
    }
  }

  // The last destination's sockaddr, kept: a transfer sends thousands of datagrams to one peer.
  #destinationAddress = "";
  #destinationPort = -1;
  #destination = new Uint8Array(0);

  sendTo(data: Uint8Array, address: string, port: number): number {
    if (address !== this.#destinationAddress || port !== this.#destinationPort) {
      this.#destination = encodeSockaddrIn(address, port);
      this.#destinationAddress = address;
      this.#destinationPort = port;
    }
    const destination = this.#destination;
    const sent = libc().sendto(this.fd, data, BigInt(data.length), 0, destination, destination.length);
    if (sent < 0) throw lastError("sendto", `${address}:${port} from ${this.label}`);
    return sent;
  }

  protected describeReceived(
    length: number,
    truncated: boolean,
    source: Uint8Array,
    sourceLength: number,
  ): ReceivedInto {
    const { address, port } = decodeSockaddrIn(source, sourceLength);
    return { length, truncated, address, port };
  }

  protected withData(received: ReceivedInto, data: Uint8Array<ArrayBuffer>): Datagram {
    return { data, address: received.address, port: received.port };
  }
}
