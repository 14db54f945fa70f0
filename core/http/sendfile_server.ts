/**
 * A read-only HTTP/1.1 file server on sockets we own, for the one job Deno.serve does slowest here:
 * sending boot images. Bodies go out with sendfile(2), from the page cache to the socket with no copy
 * through JavaScript, as nginx does; small files come from memory in one send. Keep-alive and pipelined
 * requests are served in order. GET and HEAD only, no request bodies.
 *
 * One level-triggered epoll set drives the listener and every connection, like one nginx worker; its
 * waits run off the JS thread, so the server shares the event loop with everything else. Nothing a
 * client does can throw out of the loop: a failure ends that connection, and is reported.
 */
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, IPPROTO_TCP, TCP_NODELAY } from "../sys/constants.ts";
import { EpollSet } from "../sys/epoll_set.ts";
import { closeQuietly } from "../sys/mod.ts";
import { setIntOption } from "../sys/sockopt.ts";
import { shutdownWrite } from "../sys/stream_io.ts";
import { TcpListener } from "../sys/tcp_listener.ts";
import { openChecked } from "./checked_open.ts";
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
  /** Told about every file answer (refusals are counted in `stats`, not reported one by one). */
  onServed?: (served: { path: string; status: number; bytes: number; client: string }) => void;
  /** Told about failures of the server itself (never about a client's misbehaviour). */
  onError?: (message: string, error: unknown) => void;
  /** Keep-alive idle time, and how long a stalled answer may wait for the client. */
  idleMs?: number;
  /** How long a request head may take to arrive once it has begun (nginx: client_header_timeout). */
  headTimeoutMs?: number;
  maxConnections?: number;
  maxConnectionsPerPeer?: number;
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

const SWEEP_MS = 500;
const WAIT_MS = 500;
// After the last answer of a connection: how long to drain what the client still sends (nginx's
// lingering_timeout), so that closing does not reset an answer still in flight.
const LINGER_MS = 5000;
// Out of file descriptors: how long the listener rests before accepting again.
const ACCEPT_PAUSE_MS = 100;

export class SendfileServer {
  readonly #listener: TcpListener;
  readonly #epoll = new EpollSet();
  readonly #connections = new Map<number, Connection>();
  readonly #perPeer = new Map<string, number>();
  readonly #idleMs: number;
  readonly #headTimeoutMs: number;
  readonly #maxConnections: number;
  readonly #maxPerPeer: number;
  readonly #counts: Omit<SendfileServerStats, "open"> = {
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
  #acceptPause: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SendfileServerOptions) {
    try {
      this.#listener = new TcpListener(options.address, options.port);
    } catch (error) {
      this.#epoll.close();
      throw error;
    }
    this.#idleMs = options.idleMs ?? 60_000;
    this.#headTimeoutMs = options.headTimeoutMs ?? 10_000;
    this.#maxConnections = options.maxConnections ?? 4096;
    this.#maxPerPeer = options.maxConnectionsPerPeer ?? 128;
  }

  get port(): number {
    return this.#listener.port;
  }

  /** The counters, and the connections open now. */
  get stats(): SendfileServerStats {
    return { ...this.#counts, open: this.#connections.size };
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
    clearTimeout(this.#acceptPause);
    this.#epoll.wake();
    await this.#loop;
    for (const connection of [...this.#connections.values()]) this.#drop(connection);
    this.#listener.close();
    this.#epoll.close();
  }

  async #run(): Promise<void> {
    const onEvent = (fd: number, events: number) => this.#onEvent(fd, events);
    while (!this.#stopping) {
      try {
        await this.#epoll.wait(WAIT_MS, onEvent);
        if (performance.now() - this.#lastSweep >= SWEEP_MS) this.#sweep();
      } catch (error) {
        // Not a client's doing (those end their connection): report, rest, go on serving.
        this.options.onError?.("http loop", error);
        await new Promise((resolve) => setTimeout(resolve, ACCEPT_PAUSE_MS));
      }
    }
  }

  #onEvent(fd: number, events: number): void {
    if (fd === this.#listener.fd) return this.#acceptAll();
    const connection = this.#connections.get(fd);
    if (!connection) return;
    try {
      const writable = events & (EPOLLOUT | EPOLLERR | EPOLLHUP);
      this.#follow(
        connection,
        connection.writing && writable ? connection.onWritable() : connection.onReadable(),
      );
    } catch (error) {
      this.options.onError?.("http connection", error);
      this.#drop(connection);
    }
  }

  #follow(connection: Connection, next: Interest): void {
    if (next === "close") return this.#drop(connection);
    if (next === "finish") {
      // Our FIN goes after the answer; the client's own close (or the linger time) ends it.
      shutdownWrite(connection.fd);
      connection.lingerUntil = performance.now() + LINGER_MS;
      next = "read";
    }
    const writing = next === "write";
    if (writing !== connection.writing) {
      connection.writing = writing;
      if (writing) {
        this.#counts.stalls++;
        // The stall is timed from now: the last progress may belong to an answer long finished.
        connection.lastProgress = performance.now();
      }
      this.#epoll.modify(connection.fd, writing ? EPOLLOUT : EPOLLIN);
    }
  }

  #acceptAll(): void {
    for (;;) {
      let accepted;
      try {
        accepted = this.#listener.accept();
      } catch (error) {
        // Out of fds (EMFILE/ENFILE): level-triggered epoll would report the backlog again at once, so
        // the listener rests a moment instead of spinning.
        this.options.onError?.("http accept", error);
        this.#pauseAccepting();
        return;
      }
      if (!accepted) return;
      this.#counts.accepted++;
      const peer = accepted.peer;
      const fromPeer = this.#perPeer.get(peer) ?? 0;
      if (this.#connections.size >= this.#maxConnections || fromPeer >= this.#maxPerPeer) {
        this.#counts.refusedOverLimit++;
        closeQuietly(accepted.fd);
        continue;
      }
      try {
        // Answers are written whole or with MSG_MORE, so Nagle has nothing to merge; it would only
        // delay the last segment of each answer.
        setIntOption(accepted.fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
        this.#epoll.add(accepted.fd, EPOLLIN);
      } catch {
        closeQuietly(accepted.fd);
        continue;
      }
      const connection = new Connection(accepted.fd, peer, (head) => this.#answer(head, peer));
      this.#connections.set(accepted.fd, connection);
      this.#perPeer.set(peer, fromPeer + 1);
    }
  }

  #pauseAccepting(): void {
    if (this.#acceptPause !== undefined) return;
    this.#epoll.remove(this.#listener.fd);
    this.#acceptPause = setTimeout(() => {
      this.#acceptPause = undefined;
      if (this.#stopping) return;
      try {
        this.#epoll.add(this.#listener.fd, EPOLLIN);
      } catch (error) {
        this.options.onError?.("http accept", error);
        this.#pauseAccepting();
      }
    }, ACCEPT_PAUSE_MS);
  }

  #drop(connection: Connection): void {
    if (!this.#connections.delete(connection.fd)) return;
    if (connection.malformed) this.#counts.malformed++;
    connection.dispose();
    this.#epoll.remove(connection.fd);
    closeQuietly(connection.fd);
    const left = (this.#perPeer.get(connection.peer) ?? 1) - 1;
    if (left > 0) this.#perPeer.set(connection.peer, left);
    else this.#perPeer.delete(connection.peer);
  }

  #answer(head: RequestHead, peer: string): PlannedResponse {
    this.#counts.requests++;
    const reply = (status: number, text: string, extra?: string) =>
      textResponse(status, text, {
        keepAlive: head.keepAlive,
        minorVersion: head.minorVersion,
        method: head.method,
        extra,
      });
    if (head.method !== "GET" && head.method !== "HEAD") {
      return reply(405, "only GET and HEAD are served here\n", "allow: GET, HEAD\r\n");
    }
    let answer: RouteAnswer;
    try {
      answer = this.options.route(head);
    } catch (error) {
      this.options.onError?.("http route", error);
      answer = { kind: "status", status: 500, text: "internal error\n" };
    }
    if (answer.kind === "status") return reply(answer.status, answer.text);
    let planned = fileResponse(head, answer.file);
    const body = planned.body;
    if (body.kind === "file") {
      // Opened now, before anything of the answer is sent, so a refusal can still be an honest answer.
      const opened = openChecked(body.path, body.identity);
      if ("fd" in opened) body.fd = opened.fd;
      else {
        planned = opened.refused === "busy"
          ? reply(503, "too busy; try again\n", "retry-after: 1\r\n")
          : reply(503, "the file changed while being served; try again\n");
      }
    }
    this.options.onServed?.({
      path: answer.name,
      status: planned.status,
      bytes: planned.bytes,
      client: peer,
    });
    return planned;
  }

  /**
   * Ends connections that are idle past keep-alive, slow to send a head (a byte now and then does not
   * keep a connection: the head as a whole has a deadline), stalled while we write, or done lingering.
   */
  #sweep(): void {
    const now = this.#lastSweep = performance.now();
    for (const connection of [...this.#connections.values()]) {
      const expired = connection.lingerUntil > 0
        ? now > connection.lingerUntil
        : connection.writing
        ? now - connection.lastProgress > this.#idleMs
        : now - connection.waitingSince > this.#idleMs ||
          (connection.headSince > 0 && now - connection.headSince > this.#headTimeoutMs);
      if (!expired) continue;
      if (connection.lingerUntil === 0) this.#counts.timedOut++;
      this.#drop(connection);
    }
  }
}
