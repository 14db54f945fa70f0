import { MSG_TRUNC } from "./constants.ts";

// struct iovec and struct mmsghdr (a struct msghdr, then the unsigned msg_len) on LP64 Linux, the
// layout of every platform CTPF targets (x86_64, aarch64). Fields of struct msghdr, by offset:
const IOVEC_SIZE = 16;
const MMSGHDR_SIZE = 64;
const NAME = 0, NAME_LENGTH = 8, IOV = 16, IOV_LENGTH = 24, FLAGS = 48, MESSAGE_LENGTH = 56;

export interface MessageBatchOptions {
  /** Messages in one batch (sendmmsg/recvmmsg's vlen). */
  capacity: number;
  /** Room for each message's bytes. */
  slotBytes: number;
  /** Room for each message's socket address (sizeof struct sockaddr_*), or 0 for none. */
  addressBytes?: number;
}

/**
 * Room for `capacity` datagrams and their addresses, laid out as the array of struct mmsghdr that
 * sendmmsg(2) and recvmmsg(2) take: one system call moves a whole batch. Every pointer in the headers is
 * written once, here; a sender fills slots and sets lengths, a receiver reads lengths after the call.
 * The memory is allocated as ArrayBuffers, which V8 never moves, and lives as long as the batch.
 */
export class MessageBatch {
  readonly capacity: number;
  readonly slotBytes: number;
  readonly addressBytes: number;
  /** The struct mmsghdr array (handed to the kernel; view from message `i` on with `headersFrom`). */
  readonly headers: Uint8Array<ArrayBuffer>;
  readonly #data: Uint8Array<ArrayBuffer>;
  readonly #addresses: Uint8Array<ArrayBuffer>;
  readonly #iovecs: Uint8Array<ArrayBuffer>;
  readonly #headerView: DataView;
  readonly #iovecView: DataView;

  constructor(options: MessageBatchOptions) {
    const { capacity, slotBytes } = options;
    const addressBytes = options.addressBytes ?? 0;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1024) {
      throw new RangeError(`message batch capacity ${capacity}: from 1 to 1024 (the kernel's UIO_MAXIOV)`);
    }
    if (!Number.isInteger(slotBytes) || slotBytes < 1 || slotBytes > 65536) {
      throw new RangeError(`message slot of ${slotBytes} bytes: from 1 to 65536`);
    }
    if (!Number.isInteger(addressBytes) || addressBytes < 0 || addressBytes > 128) {
      throw new RangeError(`socket address room of ${addressBytes} bytes: from 0 to 128`);
    }
    this.capacity = capacity;
    this.slotBytes = slotBytes;
    this.addressBytes = addressBytes;
    this.#data = new Uint8Array(new ArrayBuffer(capacity * slotBytes));
    this.#addresses = new Uint8Array(new ArrayBuffer(Math.max(1, capacity * addressBytes)));
    this.#iovecs = new Uint8Array(new ArrayBuffer(capacity * IOVEC_SIZE));
    this.headers = new Uint8Array(new ArrayBuffer(capacity * MMSGHDR_SIZE));
    this.#headerView = new DataView(this.headers.buffer);
    this.#iovecView = new DataView(this.#iovecs.buffer);
    const data = addressOf(this.#data),
      iovecs = addressOf(this.#iovecs),
      addresses = addressOf(this.#addresses);
    for (let i = 0; i < capacity; i++) {
      this.#iovecView.setBigUint64(i * IOVEC_SIZE, data + BigInt(i * slotBytes), true);
      this.#iovecView.setBigUint64(i * IOVEC_SIZE + 8, BigInt(slotBytes), true);
      const header = i * MMSGHDR_SIZE;
      this.#headerView.setBigUint64(
        header + NAME,
        addressBytes ? addresses + BigInt(i * addressBytes) : 0n,
        true,
      );
      this.#headerView.setUint32(header + NAME_LENGTH, addressBytes, true);
      this.#headerView.setBigUint64(header + IOV, iovecs + BigInt(i * IOVEC_SIZE), true);
      this.#headerView.setBigUint64(header + IOV_LENGTH, 1n, true);
    }
  }

  /** Message `i`'s bytes: the whole slot (write what to send at its start; read `length(i)` received). */
  slot(i: number): Uint8Array<ArrayBuffer> {
    this.#check(i);
    return this.#data.subarray(i * this.slotBytes, (i + 1) * this.slotBytes);
  }

  /** Message `i`'s socket address (destination to send to; the source after a receive). */
  address(i: number): Uint8Array<ArrayBuffer> {
    this.#check(i);
    return this.#addresses.subarray(i * this.addressBytes, (i + 1) * this.addressBytes);
  }

  /** Sets how many bytes of slot `i` are sent. */
  setLength(i: number, length: number): void {
    this.#check(i);
    if (!Number.isInteger(length) || length < 0 || length > this.slotBytes) {
      throw new RangeError(`message of ${length} bytes in a slot of ${this.slotBytes}`);
    }
    this.#setIovLength(i, length);
  }

  // size_t written as two 32-bit halves: no BigInt per message on the hot path.
  #setIovLength(i: number, length: number): void {
    this.#iovecView.setUint32(i * IOVEC_SIZE + 8, length, true);
    this.#iovecView.setUint32(i * IOVEC_SIZE + 12, 0, true);
  }

  /** The bytes of message `i` after a receive, never more than its slot holds. */
  length(i: number): number {
    this.#check(i);
    return Math.min(this.slotBytes, this.#headerView.getUint32(i * MMSGHDR_SIZE + MESSAGE_LENGTH, true));
  }

  /** Whether received message `i` was longer than its slot (its tail was dropped). */
  truncated(i: number): boolean {
    this.#check(i);
    return (this.#headerView.getInt32(i * MMSGHDR_SIZE + FLAGS, true) & MSG_TRUNC) !== 0;
  }

  /** The length of received message `i`'s source address as the kernel reported it. */
  addressLength(i: number): number {
    this.#check(i);
    return Math.min(this.addressBytes, this.#headerView.getUint32(i * MMSGHDR_SIZE + NAME_LENGTH, true));
  }

  /** Before a receive of `count` messages: every slot and address room offered whole again. */
  prepareReceive(count: number): void {
    for (let i = 0; i < count; i++) {
      const header = i * MMSGHDR_SIZE;
      this.#setIovLength(i, this.slotBytes);
      this.#headerView.setUint32(header + NAME_LENGTH, this.addressBytes, true);
      this.#headerView.setInt32(header + FLAGS, 0, true);
      this.#headerView.setUint32(header + MESSAGE_LENGTH, 0, true);
    }
  }

  /** The headers from message `from` on (what sendmmsg gets to send messages from..). */
  headersFrom(from: number): Uint8Array<ArrayBuffer> {
    this.#check(from);
    return this.headers.subarray(from * MMSGHDR_SIZE);
  }

  #check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.capacity) {
      throw new RangeError(`message ${i} of a batch of ${this.capacity}`);
    }
  }
}

function addressOf(bytes: Uint8Array<ArrayBuffer>): bigint {
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
}
