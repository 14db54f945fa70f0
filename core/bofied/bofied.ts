import { join } from "node:path";
import type { Authenticator } from "../auth/authenticator.ts";
import type { HostPort } from "../config/flags.ts";
import { SendfileServer } from "../http/sendfile_server.ts";
import type { Logger } from "../log/logger.ts";
import type { Registry } from "../metrics/registry.ts";
import type { BootAnswerProvider } from "../net/dhcp/boot_answer.ts";
import type { BofiedApiContext } from "./api.ts";
import { createBootEvents } from "./events.ts";
import { FileCache } from "./file_cache.ts";
import { ServedFiles } from "./files.ts";
import { bootFileRoute, type BootHttpOptions } from "./http.ts";
import { ServedCoalescer } from "./http_events.ts";
import { Jail } from "./jail.ts";
import { BofiedMetrics, type BootHttpPort } from "./metrics.ts";
import { ProxyDhcp } from "./proxy_dhcp.ts";
import { pxeAnswers } from "./pxe_answers.ts";
import { defaultRules } from "./rules/default_rules.ts";
import { BootRules } from "./rules/engine.ts";
import { TftpServer } from "./tftp/server.ts";
import { SqliteDeadProperties } from "../http/webdav/dead_properties.ts";
import type { SqliteStore } from "../store/sqlite.ts";

export interface BofiedOptions {
  log: Logger;
  /** The binary's registry, which bofied's own metrics join. */
  metrics: Registry;
  auth: Authenticator;
  /** bofied keeps its trees and rules under <dataDir>/bofied. */
  dataDir: string;
  anonymousRead: boolean;
  /** TFTP address (off when undefined), and the interface it is bound to (any when empty). */
  tftpListen?: HostPort;
  tftpInterface: string;
  /** Where /boot/ is also served with sendfile(2); boot URLs then point there. */
  bootHttpListen?: HostPort;
  /** The address booting machines reach this node at; empty: the API's listen address. */
  bootAddress: string;
  /** Answer PXE clients as a proxyDHCP server on this interface (empty: off). */
  proxyDhcpInterface: string;
  /** The API/web address actually listened on. */
  listenAddress: () => { hostname: string; port: number };
  /** Holds the trees' WebDAV dead properties, outside the trees. */
  store: SqliteStore;
}

/**
 * bofied's state: the boot and private file trees, the boot rules, the event stream, and the servers
 * (TFTP, sendfile HTTP, proxyDHCP) it starts and stops. The module only wires it to the platform.
 */
export class Bofied {
  readonly events = createBootEvents();
  readonly rules: BootRules;
  readonly rulesPath: string;
  readonly files: { boot: ServedFiles; private: ServedFiles };
  readonly bootHttp: BootHttpOptions;
  readonly bootAnswers: BootAnswerProvider;
  readonly metrics: BofiedMetrics;
  readonly #options: BofiedOptions;
  readonly #log: Logger;
  readonly #bootJail: Jail;
  readonly #cache = new FileCache(256 << 20, 128 << 20);
  readonly #servedEvents: ServedCoalescer;
  #bootHttpServer?: SendfileServer;
  #tftp?: TftpServer;
  #pxeAnswers = 0;
  #proxy?: ProxyDhcp;

  constructor(options: BofiedOptions) {
    this.#options = options;
    const log = this.#log = options.log;
    const metrics = this.metrics = new BofiedMetrics(options.metrics);
    const base = join(options.dataDir, "bofied");
    const bootRoot = join(base, "boot"), privateRoot = join(base, "private");
    this.rulesPath = join(base, "rules.ts");
    Deno.mkdirSync(bootRoot, { recursive: true });
    Deno.mkdirSync(privateRoot, { recursive: true, mode: 0o700 });
    try {
      Deno.writeTextFileSync(this.rulesPath, defaultRules, { createNew: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    this.rules = new BootRules({
      path: this.rulesPath,
      log,
      metrics,
      onEvent: (event) => this.#publish(event.kind, event.message, {}),
    });
    this.#servedEvents = new ServedCoalescer((batch) =>
      this.#publish("http", `${batch.status} ${batch.path}${batch.count > 1 ? ` ×${batch.count}` : ""}`, {
        path: batch.path,
        status: String(batch.status),
        bytes: String(batch.bytes),
        client: batch.client,
        count: String(batch.count),
      })
    );
    this.#bootJail = new Jail(bootRoot);
    const privateJail = new Jail(privateRoot);
    this.bootHttp = {
      publicJail: this.#bootJail,
      privateJail,
      cache: this.#cache,
      auth: options.auth,
      anonymousRead: options.anonymousRead,
      ...this.#countedOn("main"),
    };
    this.files = {
      boot: new ServedFiles(this.#bootJail, new SqliteDeadProperties(options.store, "/dav/boot")),
      private: new ServedFiles(privateJail, new SqliteDeadProperties(options.store, "/dav/private")),
    };
    this.bootAnswers = pxeAnswers({
      rules: this.rules,
      bootAddress: () => options.bootAddress || undefined,
      httpPort: () => this.#bootHttpPort(),
      onAnswer: (mac, summary, fields) => {
        this.#pxeAnswers++;
        log.info("pxe answer", { mac, answer: summary, ...fields });
        this.events.publish({
          time: new Date(),
          kind: "pxe",
          message: `${mac}: ${summary}`,
          fields: { mac, ...fields },
        });
      },
    });
  }

  /** PXE answers given (each a machine starting to boot), since start. */
  get pxeAnswerCount(): number {
    return this.#pxeAnswers;
  }

  /** What GetBootInfo reports. */
  info(): ReturnType<BofiedApiContext["info"]> {
    const server = this.#server();
    return {
      tftpAddress: this.#options.tftpListen?.hostname ?? "",
      tftpPort: this.#tftp?.port ?? 0,
      httpBootUrl: `http://${server}:${this.#bootHttpPort()}/boot`,
      rulesPath: this.rulesPath,
      server,
      httpPort: this.#bootHttpPort(),
    };
  }

  async start(): Promise<void> {
    const log = this.#log, options = this.#options;
    await this.rules.start();
    if (!this.rules.loaded) {
      log.warn("no boot rules in force", { path: this.rulesPath, error: this.rules.lastError });
    }
    const bootHttpListen = options.bootHttpListen;
    if (bootHttpListen) {
      const sendfilePort = this.#countedOn("sendfile");
      this.#bootHttpServer = new SendfileServer({
        address: bootHttpListen.hostname,
        port: bootHttpListen.port,
        route: bootFileRoute({ ...this.bootHttp, ...sendfilePort }),
        onServed: sendfilePort.onServed,
        onError: (message, error) => log.warn(message, { error: String(error) }),
      });
      this.#bootHttpServer.start();
      log.info("serving /boot/ with sendfile", {
        address: bootHttpListen.hostname,
        port: this.#bootHttpServer.port,
      });
    }
    if (options.tftpListen) {
      this.#tftp = new TftpServer({
        jail: this.#bootJail,
        cache: this.#cache,
        address: options.tftpListen.hostname,
        port: options.tftpListen.port,
        device: options.tftpInterface || undefined,
        log,
        metrics: this.metrics,
        onTransfer: (event) =>
          this.#publish("tftp", `${event.ok ? "sent" : "incomplete"} ${event.file}`, {
            file: event.file,
            client: event.client,
            bytes: String(event.bytes),
            blksize: String(event.blockSize),
            windowsize: String(event.windowSize),
            ms: String(event.milliseconds),
            ...(event.reason ? { reason: event.reason } : {}),
          }),
      });
      this.#tftp.start();
    }
    if (options.proxyDhcpInterface) {
      this.#proxy = new ProxyDhcp({
        interfaceName: options.proxyDhcpInterface,
        bootAnswers: this.bootAnswers,
        log,
        metrics: this.metrics,
      });
      this.#proxy.start();
    }
  }

  async stop(): Promise<void> {
    this.rules.stop();
    await this.#bootHttpServer?.close();
    this.#servedEvents.flush();
    await this.#tftp?.stop();
    await this.#proxy?.stop();
  }

  /** The address in boot URLs: --boot-address, else the API's. */
  #server(): string {
    return this.#options.bootAddress || this.#options.listenAddress().hostname;
  }

  /** Where booting machines fetch /boot/ over HTTP: the sendfile port when it is on. */
  #bootHttpPort(): number {
    return this.#bootHttpServer?.port ?? this.#options.listenAddress().port;
  }

  /** The hooks that count one port's answers and refusals (served files also become events). */
  #countedOn(port: BootHttpPort): Pick<BootHttpOptions, "onServed" | "onRefused"> {
    return {
      onServed: (served) => {
        this.metrics.httpAnswered(port, served.status, served.bytes);
        this.#servedEvents.add(served);
      },
      onRefused: (status, reason) => this.metrics.httpRefused(port, status, reason),
    };
  }

  #publish(
    kind: "tftp" | "http" | "rules-loaded" | "rules-error",
    message: string,
    fields: Record<string, string>,
  ): void {
    this.events.publish({ time: new Date(), kind, message, fields });
  }
}
