import { isErrno, SysError, UdpSocket, withNetns } from "../../../sys/mod.ts";
import { PowerDriverError } from "../driver.ts";

// One UDP socket to one BMC, and the request/answer pattern RMCP+ needs at every step: send, wait for a
// datagram the caller recognises (everything else is dropped and counted), send again after a timeout,
// and give up after a bounded number of tries. The socket is connected, so only the BMC's datagrams
// arrive and an ICMP port-unreachable comes back as ECONNREFUSED: nothing listens there.

export interface TransportOptions {
  /** How long to wait for an answer before sending again. */
  timeoutMs: number;
  /** Sends after the first; each waits timeoutMs. */
  retries: number;
  /** Network namespace (name or /proc path) to open the socket in: a BMC network only reachable there. */
  netns?: string;
}

export class BmcTimeout extends PowerDriverError {
  constructor(readonly step: string, message: string) {
    super("unreachable", message);
  }
}

export class BmcTransport implements Disposable {
  readonly #socket: UdpSocket;
  readonly #where: string;
  readonly #options: TransportOptions;
  /** Datagrams that arrived but were not the awaited answer (stale, malformed, forged). */
  dropped = 0;

  private constructor(socket: UdpSocket, where: string, options: TransportOptions) {
    this.#socket = socket;
    this.#where = where;
    this.#options = options;
  }

  static open(host: string, port: number, options: TransportOptions): BmcTransport {
    const open = () => UdpSocket.openConnected(host, port);
    try {
      const socket = options.netns ? withNetns(options.netns, open) : open();
      return new BmcTransport(socket, `${host}:${port}`, options);
    } catch (error) {
      throw new PowerDriverError(
        "unreachable",
        `cannot open a UDP socket to ${host}:${port}: ${(error as Error).message}`,
      );
    }
  }

  get where(): string {
    return this.#where;
  }

  /**
   * Sends `packet(attempt)` and resolves with the first answer `accept` returns a value for. `packet` is
   * called again for each resend, so a session can give every send its own sequence number.
   */
  async exchange<T>(
    step: string,
    packet: (attempt: number) => Uint8Array,
    accept: (datagram: Uint8Array) => T | undefined,
    signal?: AbortSignal,
    tries = this.#options.retries + 1,
  ): Promise<T> {
    const started = performance.now();
    for (let attempt = 0; attempt < tries; attempt++) {
      signal?.throwIfAborted();
      this.#send(step, packet(attempt));
      const waitSignal = AbortSignal.any([
        AbortSignal.timeout(this.#options.timeoutMs),
        ...(signal ? [signal] : []),
      ]);
      // Bounded: every turn consumes one datagram, and the wait ends at the timeout.
      for (;;) {
        let data: Uint8Array;
        try {
          data = (await this.#socket.receive({ signal: waitSignal })).data;
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          if (waitSignal.aborted) break;
          throw this.#failure(step, error);
        }
        const answer = accept(data);
        if (answer !== undefined) return answer;
        this.dropped++;
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    throw new BmcTimeout(
      step,
      `no answer from BMC ${this.#where} to ${step} after ${tries} ${
        tries === 1 ? "try" : "tries"
      } (${seconds} s)`,
    );
  }

  /** Sends without waiting for an answer (used to close a session on the way out). */
  sendOnly(step: string, packet: Uint8Array): void {
    this.#send(step, packet);
  }

  #send(step: string, packet: Uint8Array): void {
    try {
      this.#socket.sendTo(packet, ...this.#peer());
    } catch (error) {
      throw this.#failure(step, error);
    }
  }

  #peer(): [string, number] {
    const colon = this.#where.lastIndexOf(":");
    return [this.#where.slice(0, colon), Number(this.#where.slice(colon + 1))];
  }

  #failure(step: string, error: unknown): PowerDriverError {
    if (isErrno(error, "ECONNREFUSED")) {
      return new PowerDriverError(
        "unreachable",
        `BMC ${this.#where} refused ${step}: ICMP port unreachable, nothing listens on UDP ${
          this.#peer()[1]
        }`,
      );
    }
    if (error instanceof SysError) {
      return new PowerDriverError("unreachable", `BMC ${this.#where}, ${step}: ${error.message}`);
    }
    return new PowerDriverError("protocol", `BMC ${this.#where}, ${step}: ${(error as Error).message}`);
  }

  close(): void {
    this.#socket.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
