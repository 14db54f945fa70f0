/**
 * One accepted connection of the sendfile server, as a synchronous state machine the server's epoll loop
 * drives: read what has arrived, answer every complete request in order, and when the socket is full
 * keep the rest of the answer until the loop reports it writable again.
 */
import { MSG_MORE, MSG_NOSIGNAL, O_CLOEXEC, O_RDONLY } from "../sys/constants.ts";
import { Errno } from "../sys/errno.ts";
import { closeQuietly, cString, errno, libc } from "../sys/libc.ts";
import { type PlannedResponse, textResponse } from "./file_response.ts";
import { MAX_HEAD_BYTES, parseRequestHead, type RequestHead } from "./request_head.ts";

// sendfile(2) moves at most this much per call (just under 2 GiB).
const MAX_SENDFILE = 0x7fff_f000;
// Bodies up to this size are copied behind the head into one send; larger ones go out on their own.
const MERGE_BODY_BYTES = 64 * 1024;

/** What the connection needs from the loop next. */
export type Interest = "read" | "write" | "close";

type Segment =
  | { kind: "bytes"; bytes: Uint8Array; sent: number; more: boolean }
  | { kind: "file"; path: string; fd: number; offset: BigInt64Array; remaining: number };

export class Connection {
  readonly #buffer = new Uint8Array(MAX_HEAD_BYTES * 2);
  #start = 0;
  #end = 0;
  /** The answer being written, in order. */
  readonly #pending: Segment[] = [];
  /** Close once the pending answer is out. */
  #closeAfter = false;
  lastActive = performance.now();
  /** Whether the loop watches this connection for room to write (else for bytes to read). */
  writing = false;
  /** Set when the connection ended because the client sent something we had to refuse. */
  malformed = false;

  constructor(
    readonly fd: number,
    readonly peer: string,
    private readonly answer: (head: RequestHead) => PlannedResponse,
  ) {}

  /** The socket is readable: take what arrived and answer what is complete. */
  onReadable(): Interest {
    const buffer = this.#buffer;
    if (this.#start > 0) {
      buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    if (this.#end === buffer.length) return "close";
    const got = libc().recvfrom(
      this.fd,
      buffer.subarray(this.#end),
      BigInt(buffer.length - this.#end),
      0,
      null,
      null,
    );
    if (got === 0) return "close";
    if (got < 0) {
      const code = errno();
      return code === Errno.EAGAIN || code === Errno.EINTR ? "read" : "close";
    }
    this.#end += got;
    this.lastActive = performance.now();
    return this.#answerBuffered();
  }

  /** The socket has room again: go on with the pending answer, then with buffered requests. */
  onWritable(): Interest {
    const state = this.#flush();
    return state === "done" ? this.#answerBuffered() : state;
  }

  /** Releases what the connection holds; the loop closes the socket. */
  dispose(): void {
    for (const segment of this.#pending) if (segment.kind === "file") closeQuietly(segment.fd);
    this.#pending.length = 0;
  }

  #answerBuffered(): Interest {
    for (;;) {
      if (this.#closeAfter) return "close";
      if (this.#start === this.#end) return "read";
      const parsed = parseRequestHead(this.#buffer, this.#start, this.#end);
      if (parsed.kind === "incomplete") return "read";
      let planned: PlannedResponse;
      if (parsed.kind === "malformed") {
        this.malformed = true;
        planned = textResponse(parsed.status, `${parsed.reason}\n`, { keepAlive: false });
        this.#start = this.#end;
      } else {
        this.#start += parsed.consumed;
        planned = this.answer(parsed.head);
      }
      this.#queue(planned);
      if (!planned.keepAlive) this.#closeAfter = true;
      const state = this.#flush();
      if (state !== "done") return state;
    }
  }

  #queue(planned: PlannedResponse): void {
    const { head, body } = planned;
    if (body.kind === "bytes" && body.bytes.length <= MERGE_BODY_BYTES) {
      const whole = new Uint8Array(head.length + body.bytes.length);
      whole.set(head);
      whole.set(body.bytes, head.length);
      this.#pending.push({ kind: "bytes", bytes: whole, sent: 0, more: false });
      return;
    }
    this.#pending.push({ kind: "bytes", bytes: head, sent: 0, more: body.kind !== "none" });
    if (body.kind === "bytes") this.#pending.push({ kind: "bytes", bytes: body.bytes, sent: 0, more: false });
    if (body.kind === "file") {
      const offset = new BigInt64Array([BigInt(body.start)]);
      this.#pending.push({ kind: "file", path: body.path, fd: -1, offset, remaining: body.length });
    }
  }

  /** Writes pending segments until done or the socket is full. */
  #flush(): Interest | "done" {
    const lib = libc();
    while (this.#pending.length > 0) {
      const segment = this.#pending[0];
      let count: number;
      if (segment.kind === "bytes") {
        const left = segment.bytes.length - segment.sent;
        const flags = MSG_NOSIGNAL | (segment.more ? MSG_MORE : 0);
        count = left === 0
          ? 0
          : lib.sendto(this.fd, segment.bytes.subarray(segment.sent), BigInt(left), flags, null, 0);
        if (count >= 0) {
          segment.sent += count;
          if (segment.sent === segment.bytes.length) this.#pending.shift();
        }
      } else {
        if (segment.fd < 0) {
          segment.fd = lib.open(cString(segment.path), O_RDONLY | O_CLOEXEC, 0);
          // Found a moment ago but gone now: the head is out, so the only honest end is to close.
          if (segment.fd < 0) return "close";
        }
        count = lib.sendfile(
          this.fd,
          segment.fd,
          segment.offset,
          BigInt(Math.min(segment.remaining, MAX_SENDFILE)),
        );
        // 0 means the file shrank under us: the promised length cannot be kept.
        if (count === 0) return "close";
        if (count > 0) {
          segment.remaining -= count;
          if (segment.remaining === 0) {
            closeQuietly(segment.fd);
            this.#pending.shift();
          }
        }
      }
      if (count > 0) this.lastActive = performance.now();
      if (count < 0) {
        const code = errno();
        if (code === Errno.EAGAIN) return "write";
        if (code !== Errno.EINTR) return "close";
      }
    }
    return "done";
  }
}
