import type { Peer, Role } from "./handshake.ts";
import { decodeMessage, encodeMessage, type LinkMessage, type MessageTypeName } from "./messages.ts";
import { RecordReader, RecordWriter } from "./stream.ts";

export interface LinkOptions {
  /** Keepalive interval; the link is declared dead after `deadAfterMs` without any record. */
  pingEveryMs?: number;
  deadAfterMs?: number;
  /** A frame's record is a view valid only during the call; other messages are the callee's to keep. */
  onMessage: (link: Link, message: LinkMessage) => void;
  onClose: (link: Link, reason: string) => void;
  /**
   * Asked before each record is read: a promise holds reading back until it settles (the records this
   * link brings would only pile up in another link's queue), so TCP's flow control slows the sender.
   */
  holdBack?: (link: Link) => Promise<void> | undefined;
  /** Called after a record when the next one is not buffered yet (reading will wait for the peer). */
  onReadsDrained?: (link: Link) => void;
}

function keptCopy(message: LinkMessage): LinkMessage {
  const record = message.record.slice();
  return { type: message.type, body: record.subarray(1), record };
}

/**
 * One authenticated link to a neighbour: records in and out, keepalives that measure the round trip,
 * and an end (the peer closed, went silent, or sent garbage) reported exactly once.
 */
export class Link {
  rttMs: number | undefined;
  bytesIn = 0;
  bytesOut = 0;
  readonly openedAt = Date.now();
  #lastHeard = performance.now();
  #closed = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly peer: Peer,
    readonly role: Role,
    readonly remote: string,
    private readonly connection: Deno.Conn,
    private readonly reader: RecordReader,
    private readonly writer: RecordWriter,
    private readonly options: LinkOptions,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  start(): void {
    const pingEvery = this.options.pingEveryMs ?? 500;
    // A link that dies without a FIN or RST (a cut cable, a frozen host) is noticed within 3 s.
    const deadAfter = this.options.deadAfterMs ?? 2500;
    this.#timer = setInterval(() => {
      if (performance.now() - this.#lastHeard > deadAfter) return this.close(`silent for ${deadAfter} ms`);
      const token = new Uint8Array(8);
      new DataView(token.buffer).setFloat64(0, performance.now());
      this.send("ping", token);
    }, pingEvery);
    this.#readLoop();
  }

  /** False if the link is closed or its send queue is full (the record is dropped). */
  send(type: MessageTypeName, body: Uint8Array): boolean {
    return this.sendRecord(encodeMessage(type, body));
  }

  /**
   * Sends a record already laid out as encodeMessage would (the frame path builds them without copies);
   * the record is copied into the send queue, so it is only lent for the call.
   */
  sendRecord(record: Uint8Array): boolean {
    if (this.#closed) return false;
    const queued = this.writer.send(record);
    if (queued) this.bytesOut += record.length + 4;
    return queued;
  }

  /** Bytes queued for the peer and not yet written. */
  get backlog(): number {
    return this.writer.queuedBytes;
  }

  /** Resolves once at most `bytes` are queued for the peer (or the link failed). */
  backlogBelow(bytes: number): Promise<void> {
    return this.writer.below(bytes);
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    try {
      this.connection.close();
    } catch { /* already closed */ }
    this.options.onClose(this, reason);
  }

  async #readLoop(): Promise<void> {
    try {
      for (;;) {
        const hold = this.options.holdBack?.(this);
        if (hold) await hold;
        if (this.#closed) return;
        const record = await this.reader.next();
        if (record === null) return this.close("closed by the peer");
        this.#lastHeard = performance.now();
        this.bytesIn += record.length + 4;
        const message = decodeMessage(record);
        if (!message.ok) return this.close(message.error.message);
        const { type } = message.value;
        if (type === "ping") this.send("pong", message.value.body);
        else if (type === "pong") this.#pong(message.value.body);
        // A frame is routed or opened before the next record is read, so the reader's view of it will
        // do; everything else may be kept or checked asynchronously and gets its own copy.
        else if (type === "frame") this.options.onMessage(this, message.value);
        else this.options.onMessage(this, keptCopy(message.value));
        if (!this.reader.hasRecord) this.options.onReadsDrained?.(this);
      }
    } catch (error) {
      this.close(error instanceof Error ? error.message : String(error));
    }
  }

  #pong(body: Uint8Array): void {
    if (body.length !== 8) return;
    const sent = new DataView(body.buffer, body.byteOffset, 8).getFloat64(0);
    const rtt = performance.now() - sent;
    if (rtt >= 0 && rtt < 60_000) this.rttMs = this.rttMs === undefined ? rtt : 0.8 * this.rttMs + 0.2 * rtt;
  }
}
