/**
 * A read-only HTTP/1.1 file server on sockets we own, for the one job Deno.serve does slowest here:
 * sending boot images. Bodies go out with sendfile(2), from the page cache to the socket with no copy
 * through JavaScript, as nginx does; small files come from memory in one send. Keep-alive and pipelined
 * requests are served in order. GET and HEAD only, no request bodies.
 *
 * One level-triggered epoll set drives the listener and every connection, like one nginx worker; its
 * waits run off the JS thread, so the server shares the event loop with everything else.
 */
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, IPPROTO_TCP, TCP_NODELAY } from "../sys/constants.ts";
import { EpollSet } from "../sys/epoll_set.ts";
import { closeQuietly } from "../sys/libc.ts";
import { setIntOption } from "../sys/sockopt.ts";
import { TcpListener } from "../sys/tcp_listener.ts";
import { fileResponse, type PlannedResponse, type ServedFile, textResponse } from "./file_response.ts";
import type { RequestHead } from "./request_head.ts";
import { Connection, type Interest } from "./sendfile_connection.ts";

export type RouteAnswer =
  | { kind: "file"; file: ServedFile; /** The name events report. */ name: string }
  | { kind: "status"; status: number; text: string };

export interface SendfileServerOptions {
  address: string;
  /** 0 picks a free port (see `port`). */
  port: number;
  /** Maps a GET or HEAD to a file or a refusal. Runs synchronously on every request. */
  route: (head: RequestHead) => RouteAnswer;
  /** Told about every answer. */
  onServed?: (served: { path: string; status: number; bytes: number; client: string }) => void;
  /** A connection idle (or unable to take our bytes) this long is closed. */
  idleMs?: number;
  maxConnections?: number;
}

export interface SendfileServerStats {
  open: number;
  accepted: number;
  requests: number;
  malformed: number;
  refusedOverLimit: number;
  timedOut: number;
  /** Times an answer filled the socket and waited for the client to take more. */
  stalls: number;
}

const SWEEP_MS = 1000;
const WAIT_MS = 1000;

export class SendfileServer {
  readonly #listener: TcpListener;
  readonly #epoll = new EpollSet();
  readonly #connections = new Map<number, Connection>();
  readonly #idleMs: number;
  readonly #maxConnections: number;
  readonly stats: SendfileServerStats = {
    open: 0,
    accepted: 0,
    requests: 0,
    malformed: 0,
    refusedOverLimit: 0,
    timedOut: 0,
    stalls: 0,
  };
  #loop: Promise<void> | undefined;
  #stopping = false;
  #lastSweep = performance.now();

  constructor(private readonly options: SendfileServerOptions) {
    try {
      this.#listener = new TcpListener(options.address, options.port);
    } catch (error) {
      this.#epoll.close();
      throw error;
    }
    this.#idleMs = options.idleMs ?? 60_000;
    this.#maxConnections = options.maxConnections ?? 4096;
  }

  get port(): number {
    return this.#listener.port;
  }

  start(): void {
    if (this.#loop || this.#stopping) return;
    this.#epoll.add(this.#listener.fd, EPOLLIN);
    this.#loop = this.#run();
  }

  /** Stops accepting, closes every connection (transfers in flight end) and waits for the loop. */
  async close(): Promise<void> {
    if (this.#stopping) return await this.#loop;
    this.#stopping = true;
    this.#epoll.wake();
    await this.#loop;
    for (const connection of [...this.#connections.values()]) this.#drop(connection);
    this.#listener.close();
    this.#epoll.close();
  }

  async #run(): Promise<void> {
    const onEvent = (fd: number, events: number) => this.#onEvent(fd, events);
    while (!this.#stopping) {
      await this.#epoll.wait(WAIT_MS, onEvent);
      if (performance.now() - this.#lastSweep >= SWEEP_MS) this.#sweep();
    }
  }

  #onEvent(fd: number, events: number): void {
    if (fd === this.#listener.fd) return this.#acceptAll();
    const connection = this.#connections.get(fd);
    if (!connection) return;
    let next: Interest;
    try {
      if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP) && connection.writing) next = connection.onWritable();
      else next = connection.onReadable();
    } catch {
      next = "close";
    }
    this.#follow(connection, next);
  }

  #follow(connection: Connection, next: Interest): void {
    if (next === "close") return this.#drop(connection);
    const writing = next === "write";
    if (writing !== connection.writing) {
      connection.writing = writing;
      if (writing) this.stats.stalls++;
      this.#epoll.modify(connection.fd, writing ? EPOLLOUT : EPOLLIN);
    }
  }

  #acceptAll(): void {
    for (;;) {
      let accepted;
      try {
        accepted = this.#listener.accept();
      } catch {
        // Out of fds (EMFILE/ENFILE): the backlog waits until connections end; the next event retries.
        return;
      }
      if (!accepted) return;
      this.stats.accepted++;
      if (this.#connections.size >= this.#maxConnections) {
        this.stats.refusedOverLimit++;
        closeQuietly(accepted.fd);
        continue;
      }
      // Answers are written whole or with MSG_MORE, so Nagle has nothing to merge; it would only delay
      // the last segment of each answer.
      try {
        setIntOption(accepted.fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
      } catch { /* the connection is already gone; its first read says so */ }
      const peer = accepted.peer;
      const connection = new Connection(accepted.fd, peer, (head) => this.#answer(head, peer));
      this.#connections.set(accepted.fd, connection);
      this.#epoll.add(accepted.fd, EPOLLIN);
      this.stats.open = this.#connections.size;
    }
  }

  #drop(connection: Connection): void {
    if (connection.malformed) this.stats.malformed++;
    connection.dispose();
    this.#epoll.remove(connection.fd);
    closeQuietly(connection.fd);
    this.#connections.delete(connection.fd);
    this.stats.open = this.#connections.size;
  }

  #answer(head: RequestHead, peer: string): PlannedResponse {
    this.stats.requests++;
    const reply = (status: number, text: string, extra?: string) =>
      textResponse(status, text, {
        keepAlive: head.keepAlive,
        minorVersion: head.minorVersion,
        method: head.method,
        extra,
      });
    let planned: PlannedResponse;
    let name = head.target;
    if (head.method !== "GET" && head.method !== "HEAD") {
      planned = reply(405, "only GET and HEAD are served here\n", "allow: GET, HEAD\r\n");
    } else {
      let answer: RouteAnswer;
      try {
        answer = this.options.route(head);
      } catch {
        answer = { kind: "status", status: 500, text: "internal error\n" };
      }
      if (answer.kind === "status") {
        planned = reply(answer.status, answer.text);
      } else {
        name = answer.name;
        planned = fileResponse(head, answer.file);
      }
    }
    this.options.onServed?.({ path: name, status: planned.status, bytes: planned.bytes, client: peer });
    return planned;
  }

  #sweep(): void {
    const now = this.#lastSweep = performance.now();
    for (const connection of [...this.#connections.values()]) {
      if (now - connection.lastActive > this.#idleMs) {
        this.stats.timedOut++;
        this.#drop(connection);
      }
    }
  }
}
