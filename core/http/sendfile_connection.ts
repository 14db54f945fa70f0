/**
 * One accepted connection of the sendfile server, as a synchronous state machine the server's epoll loop
 * drives: read what has arrived, answer every complete request in order, and when the socket is full
 * keep the rest of the answer until the loop reports it writable again.
 */
import { MSG_MORE, MSG_NOSIGNAL } from "../sys/constants.ts";
import { Errno } from "../sys/errno.ts";
import { closeQuietly } from "../sys/mod.ts";
import { receiveInto, sendBytes, sendFileRange } from "../sys/stream_io.ts";
import { type PlannedResponse, textResponse } from "./file_response.ts";
import { MAX_HEAD_BYTES, parseRequestHead, type RequestHead } from "./request_head.ts";

// sendfile(2) moves at most this much per call (just under 2 GiB).
const MAX_SENDFILE = 0x7fff_f000;
// Bodies up to this size are copied behind the head into one send; larger ones go out on their own.
const MERGE_BODY_BYTES = 64 * 1024;

/**
 * What the connection needs from the loop next: "finish" means the last answer is out and the
 * connection should end gracefully (lingering), "close" that it is over now.
 */
export type Interest = "read" | "write" | "finish" | "close";

type Segment =
  | { kind: "bytes"; bytes: Uint8Array; sent: number; more: boolean }
  | { kind: "file"; fd: number; offset: BigInt64Array; remaining: number };

export class Connection {
  readonly #buffer = new Uint8Array(MAX_HEAD_BYTES + 1024);
  #start = 0;
  #end = 0;
  /** Where the search for the current head's end goes on (everything before was scanned). */
  #scanned = 0;
  /** The answer being written, in order. */
  readonly #pending: Segment[] = [];
  /** Close once the pending answer is out. */
  #closeAfter = false;
  /** When the connection began waiting for its next request (accepted, or the last answer went out). */
  waitingSince = performance.now();
  /** When the first byte of a still incomplete head arrived (0: none pending). */
  headSince = 0;
  /** When an answer last made progress. */
  lastProgress = performance.now();
  /** Whether the loop watches this connection for room to write (else for bytes to read). */
  writing = false;
  /** Until when a finished connection drains what the client still sends (0: not lingering). */
  lingerUntil = 0;
  /** Set when the connection ended because the client sent something we had to refuse. */
  malformed = false;

  constructor(
    readonly fd: number,
    readonly peer: string,
    private readonly answer: (head: RequestHead) => PlannedResponse,
  ) {}

  /** The socket is readable: take what arrived and answer what is complete. */
  onReadable(): Interest {
    if (this.lingerUntil > 0) return this.#drain();
    const buffer = this.#buffer;
    if (this.#start > 0) {
      buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#scanned -= this.#start;
      this.#start = 0;
    }
    if (this.#end === buffer.length) return "close";
    const got = receiveInto(this.fd, buffer.subarray(this.#end));
    if (got === 0) return "close";
    if (got < 0) return -got === Errno.EAGAIN || -got === Errno.EINTR ? "read" : "close";
    this.#end += got;
    if (this.headSince === 0 && this.#headPending()) this.headSince = performance.now();
    return this.#answerBuffered();
  }

  /** The socket has room again: go on with the pending answer, then with buffered requests. */
  onWritable(): Interest {
    const state = this.#flush();
    if (state !== "done") return state;
    // The next head's time starts now, not while we were still writing the last answer.
    this.waitingSince = performance.now();
    if (this.headSince > 0) this.headSince = this.waitingSince;
    return this.#answerBuffered();
  }

  /** Releases what the connection holds; the loop closes the socket. */
  dispose(): void {
    for (const segment of this.#pending) if (segment.kind === "file") closeQuietly(segment.fd);
    this.#pending.length = 0;
  }

  /** After our FIN: read and drop what the client still sends, so closing does not reset the answer. */
  #drain(): Interest {
    for (let round = 0; round < 16; round++) {
      const got = receiveInto(this.fd, this.#buffer);
      if (got === 0) return "close";
      if (got < 0) return -got === Errno.EAGAIN || -got === Errno.EINTR ? "read" : "close";
    }
    return "read";
  }

  /** Whether a head has begun: bytes other than the empty lines a client may send between requests. */
  #headPending(): boolean {
    for (let at = this.#start; at < this.#end; at++) {
      const byte = this.#buffer[at];
      if (byte !== 0x0d && byte !== 0x0a) return true;
    }
    return false;
  }

  #answerBuffered(): Interest {
    for (;;) {
      if (this.#closeAfter) return "finish";
      if (this.#start === this.#end) return "read";
      const parsed = parseRequestHead(this.#buffer, this.#start, this.#end, this.#scanned);
      if (parsed.kind === "incomplete") {
        this.#scanned = this.#end;
        return "read";
      }
      let planned: PlannedResponse;
      if (parsed.kind === "malformed") {
        this.malformed = true;
        planned = textResponse(parsed.status, `${parsed.reason}\n`, { keepAlive: false });
        this.#start = this.#end;
      } else {
        this.#start += parsed.consumed;
        planned = this.answer(parsed.head);
      }
      this.#scanned = this.#start;
      this.headSince = this.#headPending() ? performance.now() : 0;
      this.#queue(planned);
      const state = this.#flush();
      if (state !== "done") return state;
      this.waitingSince = performance.now();
    }
  }

  #queue(planned: PlannedResponse): void {
    const { head, body } = planned;
    if (body.kind === "file") {
      // Opened (and checked) by the server when it planned the answer.
      if (body.fd === undefined) throw new Error("a file answer reached the connection unopened");
      this.#pending.push({ kind: "bytes", bytes: head, sent: 0, more: true });
      const offset = new BigInt64Array([BigInt(body.start)]);
      this.#pending.push({ kind: "file", fd: body.fd, offset, remaining: body.length });
    } else if (body.kind === "bytes" && body.bytes.length <= MERGE_BODY_BYTES) {
      const whole = new Uint8Array(head.length + body.bytes.length);
      whole.set(head);
      whole.set(body.bytes, head.length);
      this.#pending.push({ kind: "bytes", bytes: whole, sent: 0, more: false });
    } else {
      this.#pending.push({ kind: "bytes", bytes: head, sent: 0, more: body.kind !== "none" });
      if (body.kind === "bytes") {
        this.#pending.push({ kind: "bytes", bytes: body.bytes, sent: 0, more: false });
      }
    }
    if (!planned.keepAlive) this.#closeAfter = true;
  }

  /** Writes pending segments until done or the socket is full. */
  #flush(): Interest | "done" {
    while (this.#pending.length > 0) {
      const segment = this.#pending[0];
      let count: number;
      if (segment.kind === "bytes") {
        const left = segment.bytes.length - segment.sent;
        const flags = MSG_NOSIGNAL | (segment.more ? MSG_MORE : 0);
        count = left === 0 ? 0 : sendBytes(this.fd, segment.bytes.subarray(segment.sent), flags);
        if (count >= 0) {
          segment.sent += count;
          if (segment.sent === segment.bytes.length) this.#pending.shift();
        }
      } else {
        count = sendFileRange(this.fd, segment.fd, segment.offset, Math.min(segment.remaining, MAX_SENDFILE));
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
      if (count > 0) this.lastProgress = performance.now();
      if (count === -Errno.EAGAIN) return "write";
      if (count < 0 && count !== -Errno.EINTR) return "close";
    }
    return "done";
  }
}
