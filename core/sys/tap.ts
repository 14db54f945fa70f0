import {
  IFF_MULTI_QUEUE,
  IFF_NO_PI,
  IFF_TAP,
  IFF_VNET_HDR,
  O_CLOEXEC,
  O_NONBLOCK,
  O_RDWR,
  TUNSETIFF,
  TUNSETOFFLOAD,
} from "./constants.ts";
import { OwnedFd, retryableOrThrow } from "./fd.ts";
import { IFREQ_UNION, ifreqName, newIfreq } from "./ifreq.ts";
import { check, closeQuietly, cString, lastError, libc } from "./libc.ts";
import type { Poller, WaitOptions } from "./poller.ts";

export interface TapOptions {
  /** Interface name; a "%d" in it lets the kernel pick a number ("ctpf%d"). Default "tap%d". */
  name?: string;
  /**
   * IFF_VNET_HDR: every read and write starts with a 10-byte struct virtio_net_hdr. Required for
   * setOffload(), which lets the kernel hand over and accept super-frames (TSO/GSO, checksum offload).
   */
  vnetHeader?: boolean;
  /** IFF_MULTI_QUEUE: several fds (one per reader thread) on one TAP, opened with the same name. */
  multiQueue?: boolean;
  poller?: Poller;
}

/** sizeof(struct virtio_net_hdr), the prefix of each frame when vnetHeader is on. */
export const VNET_HEADER_SIZE = 10;

const TUN_DEVICE = cString("/dev/net/tun");

/**
 * A TAP interface owned by this process: it exists while the fd is open (not persistent). Frames are
 * read and written whole, with no packet-information prefix (IFF_NO_PI).
 */
export class Tap extends OwnedFd {
  readonly name: string;
  readonly label: string;
  /** Bytes of virtio_net_hdr before each frame on read and write: 0, or VNET_HEADER_SIZE. */
  readonly vnetHeaderSize: number;

  private constructor(fd: number, name: string, vnetHeaderSize: number, poller?: Poller) {
    super(fd, poller);
    this.name = name;
    this.label = `tap ${name}`;
    this.vnetHeaderSize = vnetHeaderSize;
  }

  /**
   * Creates the TAP in the calling thread's network namespace (wrap in withNetns() for another one).
   * The interface starts down; bring it up with setLinkUp(tap.name, true). Needs CAP_NET_ADMIN.
   */
  static open(options: TapOptions = {}): Tap {
    const requested = options.name ?? "tap%d";
    const { bytes: ifreq, view } = newIfreq(requested);
    let flags = IFF_TAP | IFF_NO_PI;
    if (options.vnetHeader) flags |= IFF_VNET_HDR;
    if (options.multiQueue) flags |= IFF_MULTI_QUEUE;
    view.setUint16(IFREQ_UNION, flags, true);
    const lib = libc();
    const fd = check(lib.open(TUN_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0), "open", "/dev/net/tun");
    try {
      check(lib.ioctlPointer(fd, TUNSETIFF, ifreq), "ioctl(TUNSETIFF)", requested);
    } catch (error) {
      closeQuietly(fd);
      throw error;
    }
    return new Tap(fd, ifreqName(ifreq), options.vnetHeader ? VNET_HEADER_SIZE : 0, options.poller);
  }

  /**
   * TUNSETOFFLOAD: which offloads (TUN_F_CSUM | TUN_F_TSO4 | …) this reader accepts; 0 turns them off.
   * Only meaningful with vnetHeader, where the header says how to segment or checksum a frame.
   */
  setOffload(flags: number): void {
    if (libc().ioctlInteger(this.fd, TUNSETOFFLOAD, BigInt(flags)) < 0) {
      throw lastError("ioctl(TUNSETOFFLOAD)", `${this.name} 0x${flags.toString(16)}`);
    }
  }

  /** One sync read: the frame's length in `buffer`, or null when none is queued. */
  tryRead(buffer: Uint8Array): number | null {
    const length = libc().read(this.fd, buffer, BigInt(buffer.length));
    if (length < 0) return retryableOrThrow("read", this.name);
    return length;
  }

  /**
   * The next frame into `buffer`: read at once while frames are queued, waiting only when the queue
   * is empty. Call it in a loop to drain; a buffer shorter than the frame gets its head only (use
   * MTU + 14, plus vnetHeaderSize, or 65550 with offloads on).
   */
  read(buffer: Uint8Array, options?: WaitOptions): Promise<number> {
    return this.untilReadable(() => this.tryRead(buffer), options);
  }

  /** Writes one frame (prefixed by its virtio_net_hdr when vnetHeader is on) to the kernel. */
  write(frame: Uint8Array): number {
    const written = libc().write(this.fd, frame, BigInt(frame.length));
    if (written < 0) throw lastError("write", `${frame.length}-byte frame to ${this.name}`);
    return written;
  }
}
