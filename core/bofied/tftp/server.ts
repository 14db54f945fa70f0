import type { Logger } from "../../log/logger.ts";
import {
  decodeTftp,
  encodeNetascii,
  encodeTftp,
  negotiate,
  TFTP_ERROR_ACCESS_VIOLATION,
  TFTP_ERROR_FILE_NOT_FOUND,
  TFTP_ERROR_NOT_DEFINED,
  TFTP_RRQ,
  TFTP_WRQ,
  tftpError,
  type TftpRrq,
} from "../../net/tftp/mod.ts";
import { type FileVersion, pathVersion } from "../../sys/fstat.ts";
import { cString } from "../../sys/libc.ts";
import { receiveUntil, UdpSocket } from "../../sys/mod.ts";
import { Jail, JailError } from "../jail.ts";
import { FileCache } from "../file_cache.ts";
import { BofiedMetrics, type RefusalReason } from "../metrics.ts";
import { FileBlocks } from "./block_source.ts";
import { sendFile } from "./read_transfer.ts";
import type { TransferResult } from "./transfer_result.ts";
import { TransferReactor } from "./transfer_reactor.ts";
import { blocksPerSend } from "./window_sender.ts";

// Files above this are read block by block instead of held in memory (and refused in netascii).
const largeFileBytes = 16 << 20;
// One address cannot hold more transfer slots than this (a spoofed flood would otherwise fill them).
const maxTransfersPerClient = 8;
// A client may ask for a retransmission timeout up to 255 s (RFC 2349); granting more than this would
// let one silent request hold a slot for many minutes, so longer asks are left out of the OACK.
const maxGrantedTimeoutSeconds = 5;

function withoutLongTimeout(options: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  const timeout = [...options].find(([name]) => name.toLowerCase() === "timeout");
  if (!timeout || Number(timeout[1]) <= maxGrantedTimeoutSeconds) return options;
  return new Map([...options].filter(([name]) => name.toLowerCase() !== "timeout"));
}

// Up to this many concurrent transfers, ACKs are polled for briefly (3× the lock-step rate on loopback).
const spinningTransfers = 4;
const spinMs = 0.2;

export interface TftpServerOptions {
  jail: Jail;
  /** Shared with HTTP serving; a private one is made when absent. */
  cache?: FileCache;
  /** Address and port to listen on (69 for real clients; 0 picks one, for tests). */
  address: string;
  port: number;
  /** Serve only this interface (SO_BINDTODEVICE), as with DHCP. */
  device?: string;
  log: Logger;
  maxTransfers?: number;
  maxBlockSize?: number;
  maxWindowSize?: number;
  timeoutSeconds?: number;
  retries?: number;
  onTransfer?: (event: TftpTransferEvent) => void;
  /** Where transfers, bytes and refusals are counted. */
  metrics?: BofiedMetrics;
}

export interface TftpTransferEvent extends TransferResult {
  file: string;
  client: string;
  mode: string;
  blockSize: number;
  windowSize: number;
  milliseconds: number;
}

/**
 * The TFTP server: a listening socket takes read requests; each transfer gets its own socket (its own
 * transfer ID, RFC 1350) and runs concurrently. Write requests are refused: boot clients only read, and
 * TFTP has no way to authenticate a writer (files are uploaded over the API or WebDAV instead).
 */
export class TftpServer {
  readonly #options:
    & Required<Omit<TftpServerOptions, "device" | "onTransfer" | "cache" | "metrics">>
    & TftpServerOptions;
  readonly #cache: FileCache;
  readonly #metrics: BofiedMetrics;
  readonly #stop = new AbortController();
  readonly #transfers = new Set<Promise<void>>();
  readonly #perClient = new Map<string, number>();
  #socket: UdpSocket | undefined;
  #loop: Promise<void> | undefined;
  // Every transfer's data phase runs here, on one epoll set (made by start()).
  #reactor: TransferReactor | undefined;

  constructor(options: TftpServerOptions) {
    this.#cache = options.cache ?? new FileCache(256 << 20, 128 << 20);
    this.#metrics = options.metrics ?? new BofiedMetrics();
    this.#options = {
      maxTransfers: 512,
      maxBlockSize: 65464,
      maxWindowSize: 64,
      timeoutSeconds: 1,
      retries: 5,
      ...options,
    };
  }

  get port(): number {
    return this.#socket?.localAddress().port ?? 0;
  }

  start(): void {
    const { address, port, device } = this.#options;
    this.#socket = UdpSocket.open({ address, port, device, reuseAddress: true });
    this.#reactor = new TransferReactor({ spinMs, spinningTransfers });
    this.#loop = this.#listen(this.#socket);
    this.#options.log.info("tftp listening", { address, port: this.port, interface: device });
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#socket?.close();
    await this.#loop;
    await Promise.all(this.#transfers);
    await this.#reactor?.close();
  }

  async #listen(socket: UdpSocket): Promise<void> {
    const onError = (error: Error) => this.#options.log.warn("tftp receive failed", { error: error.message });
    for await (const datagram of receiveUntil(socket, this.#stop.signal, onError)) {
      const decoded = decodeTftp(datagram.data);
      const peer = { address: datagram.address, port: datagram.port };
      if (!decoded.ok) {
        this.#metrics.refused("tftp", "bad_request");
        this.#options.log.debug("tftp: malformed request", {
          client: peer.address,
          reason: decoded.error.message,
        });
        continue;
      }
      const request = decoded.value;
      if (request.op === TFTP_WRQ) {
        this.#refuse(
          socket,
          peer,
          TFTP_ERROR_ACCESS_VIOLATION,
          "writes are disabled; upload over the API or WebDAV",
          "forbidden",
        );
        continue;
      }
      if (request.op !== TFTP_RRQ) continue;
      if (
        this.#transfers.size >= this.#options.maxTransfers ||
        (this.#perClient.get(peer.address) ?? 0) >= maxTransfersPerClient
      ) {
        this.#refuse(socket, peer, TFTP_ERROR_NOT_DEFINED, "server busy, try again", "busy");
        continue;
      }
      const transfer = this.#read(request, peer).catch((error) =>
        this.#options.log.error("tftp transfer failed", { client: peer.address, error: String(error) })
      );
      this.#transfers.add(transfer);
      this.#perClient.set(peer.address, (this.#perClient.get(peer.address) ?? 0) + 1);
      transfer.finally(() => {
        this.#transfers.delete(transfer);
        const left = (this.#perClient.get(peer.address) ?? 1) - 1;
        if (left > 0) this.#perClient.set(peer.address, left);
        else this.#perClient.delete(peer.address);
      });
    }
  }

  async #read(request: TftpRrq, peer: { address: string; port: number }): Promise<void> {
    const started = performance.now();
    const { jail, log } = this.#options;
    const transferSocket = UdpSocket.open({
      address: this.#options.address,
      port: 0,
      device: this.#options.device,
    });
    try {
      let path: string;
      try {
        path = await jail.resolveExisting(request.filename);
      } catch (error) {
        const jailed = error instanceof JailError;
        const code = jailed ? TFTP_ERROR_ACCESS_VIOLATION : TFTP_ERROR_FILE_NOT_FOUND;
        const message = jailed ? "access violation" : "file not found";
        this.#refuse(transferSocket, peer, code, message, jailed ? "path_traversal" : "not_found");
        log.info("tftp refused", {
          client: peer.address,
          file: request.filename,
          reason: (error as Error).message,
        });
        return;
      }
      const info = await Deno.stat(path);
      // The exact version (stat(2), nanosecond times) the shared content cache is keyed by.
      const version = pathVersion(cString(path));
      if (!info.isFile || !version?.regular) {
        return this.#refuse(transferSocket, peer, TFTP_ERROR_FILE_NOT_FOUND, "not a file", "not_found");
      }
      const large = info.size > largeFileBytes;
      if (large && request.mode === "netascii") {
        return this.#refuse(
          transferSocket,
          peer,
          TFTP_ERROR_NOT_DEFINED,
          "netascii only for files up to 16 MiB",
          "too_large",
        );
      }
      const options = withoutLongTimeout(request.options);
      const inMemory = large ? undefined : await this.#contentOf(path, version, request.mode);
      const sized = negotiate({ op: request.op, options }, {
        maxBlockSize: this.#options.maxBlockSize,
        maxWindowSize: this.#options.maxWindowSize,
        fileSize: inMemory?.length ?? info.size,
      });
      // Room for a whole run of blocks, read at once when they leave in one segmented send.
      const readSize = sized.blockSize * blocksPerSend(sized);
      using blocks = large ? new FileBlocks(await Deno.open(path), info.size, readSize) : undefined;
      const content = blocks ?? inMemory!;
      const result = await this.#metrics.tftpTransfer(() =>
        sendFile({
          socket: transferSocket,
          peer,
          content,
          negotiation: sized,
          timeoutSeconds: this.#options.timeoutSeconds,
          retries: this.#options.retries,
          signal: this.#stop.signal,
          spinMs: this.#transfers.size <= spinningTransfers ? spinMs : 0,
          reactor: this.#reactor,
        })
      );
      const event: TftpTransferEvent = {
        ...result,
        file: jail.nameOf(path),
        client: `${peer.address}:${peer.port}`,
        mode: request.mode,
        blockSize: sized.blockSize,
        windowSize: sized.windowSize,
        milliseconds: Math.round(performance.now() - started),
      };
      this.#options.onTransfer?.(event);
      (result.ok ? log.debug : log.warn).call(log, result.ok ? "tftp sent" : "tftp transfer incomplete", {
        client: event.client,
        file: event.file,
        bytes: result.bytes,
        blksize: sized.blockSize,
        windowsize: sized.windowSize,
        ms: event.milliseconds,
        reason: result.reason,
      });
    } finally {
      transferSocket.close();
    }
  }

  async #contentOf(path: string, version: FileVersion, mode: string): Promise<Uint8Array> {
    const raw = await this.#cache.read(path, version);
    return mode === "netascii" ? encodeNetascii(raw) : raw;
  }

  #refuse(
    socket: UdpSocket,
    peer: { address: string; port: number },
    code: number,
    message: string,
    reason: RefusalReason,
  ): void {
    this.#metrics.refused("tftp", reason);
    try {
      socket.sendTo(encodeTftp(tftpError(code, message)), peer.address, peer.port);
    } catch { /* the client is gone */ }
  }
}
