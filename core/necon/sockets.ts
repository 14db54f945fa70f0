import { parseIpv4 } from "../net/ipv4addr.ts";
import type { Logger } from "../log/logger.ts";
import { ipv4Addresses, receiveUntil, UdpSocket } from "../sys/mod.ts";
import type { Arrival } from "./request.ts";
import { EventLoopTurns } from "../runtime/event_loop_turn.ts";

export const SERVER_PORT = 67, CLIENT_PORT = 68;

/** A burst of datagrams from one interface, handed over together so their leases share one commit. */
export interface Burst {
  arrival: Arrival;
  datagrams: { data: Uint8Array; address: string; port: number }[];
  send(data: Uint8Array, address: string, port: number): void;
}

// Datagrams taken per burst: bounds the latency of the first reply in a burst.
const maxBurst = 256;
// Under load, how often the receive loop lets the event loop run (see #serve).
const turnEveryMs = 0.5;

/**
 * One UDP socket per named interface, bound to it with SO_BINDTODEVICE on port 67: replies leave that
 * interface even with no route (broadcasts included), and no other interface is ever served. The set of
 * interfaces follows the live configuration.
 */
export class DhcpSockets {
  readonly #open = new Map<string, { socket: UdpSocket; stop: AbortController; done: Promise<void> }>();

  constructor(
    private readonly log: Logger,
    /** Decides a burst; the loop reads on once it resolves (replies may still be waiting for the disk). */
    private readonly onBurst: (burst: Burst) => Promise<unknown>,
  ) {}

  /** Opens sockets for new names and closes those no longer listed; errors are logged per interface. */
  async setInterfaces(names: string[]): Promise<void> {
    for (const [name, entry] of this.#open) {
      if (names.includes(name)) continue;
      this.#open.delete(name);
      entry.stop.abort();
      entry.socket.close();
      await entry.done;
      this.log.info("stopped serving interface", { interface: name });
    }
    for (const name of names) {
      if (this.#open.has(name)) continue;
      try {
        const [address] = ipv4Addresses(name);
        if (!address) throw new Error("it has no IPv4 address to answer from");
        const socket = UdpSocket.open({
          device: name,
          port: SERVER_PORT,
          broadcast: true,
          reuseAddress: true,
        });
        const stop = new AbortController();
        const arrival: Arrival = { interfaceName: name, serverAddress: parseIpv4(address.address) };
        const done = this.#serve(socket, arrival, stop.signal);
        this.#open.set(name, { socket, stop, done });
        this.log.info("serving interface", { interface: name, address: address.address });
      } catch (error) {
        this.log.error("cannot serve interface", { interface: name, error: (error as Error).message });
      }
    }
  }

  get interfaces(): string[] {
    return [...this.#open.keys()];
  }

  async close(): Promise<void> {
    await this.setInterfaces([]);
  }

  async #serve(socket: UdpSocket, arrival: Arrival, signal: AbortSignal): Promise<void> {
    const send = (data: Uint8Array, address: string, port: number) => {
      try {
        socket.sendTo(data, address, port);
      } catch (error) {
        this.log.warn("send failed", {
          interface: arrival.interfaceName,
          to: address,
          error: (error as Error).message,
        });
      }
    };
    const onError = (error: Error) =>
      this.log.error("receive failed", { interface: arrival.interfaceName, error: error.message });
    using turns = new EventLoopTurns();
    let lastTurn = performance.now();
    for await (const first of receiveUntil(socket, signal, onError)) {
      const datagrams = [first];
      for (let next; datagrams.length < maxBurst && (next = socket.tryReceive());) datagrams.push(next);
      try {
        await this.onBurst({ arrival, datagrams, send });
      } catch (error) {
        this.log.error("burst handling failed", { interface: arrival.interfaceName, error: String(error) });
      }
      // Under load the socket always has the next burst ready and this loop would never yield: the
      // event loop gets a turn every half millisecond, so finished lease flushes (their ACKs), timers and
      // API requests are not starved. (Each turn costs ~20 µs: not after every small burst.)
      if (performance.now() - lastTurn >= turnEveryMs) {
        await turns.next();
        lastTurn = performance.now();
      }
    }
  }
}
