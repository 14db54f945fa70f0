import {
  AF_INET,
  MSG_TRUNC,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOL_SOCKET,
} from "./constants.ts";
import { OwnedFd, retryableOrThrow } from "./fd.ts";
import { interfaceNameBytes } from "./ifreq.ts";
import { check, closeQuietly, lastError, libc } from "./libc.ts";
import type { Poller, WaitOptions } from "./poller.ts";
import { decodeSockaddrIn, encodeSockaddrIn, type InetAddress, SOCKADDR_IN_SIZE } from "./sockaddr.ts";
import { setIntOption } from "./sockopt.ts";

export interface UdpSocketOptions {
  /**
   * SO_BINDTODEVICE: the socket sends and receives only through this interface, and sends need no
   * route at all (broadcasts to 255.255.255.255 included). One socket per interface is how a DHCP
   * server serves several links. Needs CAP_NET_RAW.
   */
  device?: string;
  /** Local address to bind; default 0.0.0.0. */
  address?: string;
  /** Local port; default 0 (the kernel picks one). */
  port?: number;
  /** SO_REUSEADDR, default true: servers restart without waiting for old sockets to go. */
  reuseAddress?: boolean;
  /** SO_REUSEPORT, default false. */
  reusePort?: boolean;
  /** SO_BROADCAST, default false: needed to send to broadcast addresses. */
  broadcast?: boolean;
  receiveBufferBytes?: number;
  sendBufferBytes?: number;
  poller?: Poller;
}

export interface Datagram {
  data: Uint8Array<ArrayBuffer>;
  address: string;
  port: number;
}

export interface ReceivedInto {
  /** Bytes written into the caller's buffer. */
  length: number;
  /** True when the datagram was longer than the buffer and its tail was dropped. */
  truncated: boolean;
  address: string;
  port: number;
}

const MAX_DATAGRAM = 65536;

/** A UDP/IPv4 socket on a raw O_NONBLOCK fd, optionally pinned to one interface. */
export class UdpSocket extends OwnedFd {
  readonly label: string;
  readonly device: string | undefined;
  readonly #source = new Uint8Array(SOCKADDR_IN_SIZE);
  readonly #sourceLength = new Uint8Array(4);
  readonly #sourceLengthView = new DataView(this.#sourceLength.buffer);
  #receiveBuffer: Uint8Array<ArrayBuffer> | undefined;

  private constructor(fd: number, label: string, device: string | undefined, poller?: Poller) {
    super(fd, poller);
    this.label = label;
    this.device = device;
  }

  /** Creates, configures and binds the socket in the calling thread's network namespace. */
  static open(options: UdpSocketOptions = {}): UdpSocket {
    const address = options.address ?? "0.0.0.0";
    const port = options.port ?? 0;
    const where = options.device === undefined
      ? `${address}:${port}`
      : `${address}:${port}%${options.device}`;
    const sockaddr = encodeSockaddrIn(address, port);
    const device = options.device === undefined ? undefined : interfaceNameBytes(options.device);
    const lib = libc();
    const fd = check(
      lib.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
      "socket",
      `udp ${where}`,
    );
    try {
      if (options.reuseAddress ?? true) setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
      if (options.reusePort) setIntOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
      if (options.broadcast) setIntOption(fd, SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST");
      if (options.receiveBufferBytes !== undefined) {
        setIntOption(fd, SOL_SOCKET, SO_RCVBUF, options.receiveBufferBytes, "SO_RCVBUF");
      }
      if (options.sendBufferBytes !== undefined) {
        setIntOption(fd, SOL_SOCKET, SO_SNDBUF, options.sendBufferBytes, "SO_SNDBUF");
      }
      if (device !== undefined) {
        const result = lib.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, device.length);
        check(result, "setsockopt", `SO_BINDTODEVICE ${options.device}`);
      }
      check(lib.bind(fd, sockaddr, sockaddr.length), "bind", where);
    } catch (error) {
      closeQuietly(fd);
      throw error;
    }
    return new UdpSocket(fd, `udp ${where}`, options.device, options.poller);
  }

  /** The bound address and port (the port the kernel chose when 0 was asked for). */
  localAddress(): InetAddress {
    const buffer = new Uint8Array(SOCKADDR_IN_SIZE);
    const length = new Uint8Array(new Uint32Array([SOCKADDR_IN_SIZE]).buffer);
    check(libc().getsockname(this.fd, buffer, length), "getsockname", this.label);
    return decodeSockaddrIn(buffer, new DataView(length.buffer).getUint32(0, true));
  }

  /**
   * Sends one datagram now and returns the bytes sent. UDP sends do not wait: a full send buffer
   * throws SysError EAGAIN (check with isErrno(error, "EAGAIN")) rather than queueing in JS.
   */
  sendTo(data: Uint8Array, address: string, port: number): number {
    const destination = encodeSockaddrIn(address, port);
    const sent = libc().sendto(this.fd, data, BigInt(data.length), 0, destination, destination.length);
    if (sent < 0) throw lastError("sendto", `${address}:${port} from ${this.label}`);
    return sent;
  }

  /**
   * One sync receive into `buffer`: the datagram's source and length, or null when none is queued.
   * Allocation-free, for loops that drain many datagrams per wakeup.
   */
  tryReceiveInto(buffer: Uint8Array): ReceivedInto | null {
    this.#sourceLengthView.setUint32(0, SOCKADDR_IN_SIZE, true);
    const length = libc().recvfrom(
      this.fd,
      buffer,
      BigInt(buffer.length),
      MSG_TRUNC,
      this.#source,
      this.#sourceLength,
    );
    if (length < 0) return retryableOrThrow(lastError("recvfrom", this.label));
    const source = decodeSockaddrIn(this.#source, this.#sourceLengthView.getUint32(0, true));
    return {
      length: Math.min(length, buffer.length),
      truncated: length > buffer.length,
      address: source.address,
      port: source.port,
    };
  }

  /** One sync receive: a copy of the next datagram, or null when none is queued. */
  tryReceive(): Datagram | null {
    this.#receiveBuffer ??= new Uint8Array(MAX_DATAGRAM);
    const received = this.tryReceiveInto(this.#receiveBuffer);
    if (received === null) return null;
    return {
      data: this.#receiveBuffer.slice(0, received.length),
      address: received.address,
      port: received.port,
    };
  }

  /** The next datagram: taken at once if queued, else after the poller reports the socket readable. */
  receive(options?: WaitOptions): Promise<Datagram> {
    return this.untilReadable(() => this.tryReceive(), options);
  }

  /** Like tryReceiveInto, waiting when nothing is queued. */
  receiveInto(buffer: Uint8Array, options?: WaitOptions): Promise<ReceivedInto> {
    return this.untilReadable(() => this.tryReceiveInto(buffer), options);
  }
}
