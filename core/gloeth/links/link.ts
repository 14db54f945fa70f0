import type { Peer, Role } from "./handshake.ts";
import { decodeMessage, encodeMessage, type LinkMessage, type MessageTypeName } from "./messages.ts";
import { RecordReader, RecordWriter } from "./stream.ts";

export interface LinkOptions {
  /** Keepalive interval; the link is declared dead after `deadAfterMs` without any record. */
  pingEveryMs?: number;
  deadAfterMs?: number;
  onMessage: (link: Link, message: LinkMessage) => void;
  onClose: (link: Link, reason: string) => void;
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

  /** Sends a record already laid out as encodeMessage would (the frame path builds them without copies). */
  sendRecord(record: Uint8Array): boolean {
    if (this.#closed) return false;
    const queued = this.writer.send(record);
    if (queued) this.bytesOut += record.length + 4;
    return queued;
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
        const record = await this.reader.next();
        if (record === null) return this.close("closed by the peer");
        this.#lastHeard = performance.now();
        this.bytesIn += record.length + 4;
        const message = decodeMessage(record);
        if (!message.ok) return this.close(message.error.message);
        if (message.value.type === "ping") this.send("pong", message.value.body);
        else if (message.value.type === "pong") this.#pong(message.value.body);
        else this.options.onMessage(this, message.value);
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
