import { join } from "node:path";
import type { Authenticator } from "../auth/authenticator.ts";
import type { HostPort } from "../config/flags.ts";
import { SendfileServer } from "../http/sendfile_server.ts";
import type { Logger } from "../log/logger.ts";
import type { Registry } from "../metrics/registry.ts";
import type { BootAnswerProvider } from "../net/dhcp/boot_answer.ts";
import type { BofiedApiContext } from "./api.ts";
import { BootControl } from "./boot_control.ts";
import type { TftpPlan } from "./boot_servers.ts";
import type { BootSettings, BootSettingsView } from "./boot_settings.ts";
import { createBootEvents } from "./events.ts";
import { FileCache } from "./file_cache.ts";
import { ServedFiles } from "./files.ts";
import { bootFileRoute, type BootHttpOptions } from "./http.ts";
import { ServedCoalescer } from "./http_events.ts";
import { Jail } from "./jail.ts";
import { BofiedMetrics, type BootHttpPort } from "./metrics.ts";
import { ProxyDhcp } from "./proxy_dhcp.ts";
import { pxeAnswers } from "./pxe_answers.ts";
import { installStarterOnce, type StarterRecord } from "./starter.ts";
import type { BofiedStateRepository } from "./store_sqlite.ts";
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
  /** The page's boot settings and the starter decision. */
  state: BofiedStateRepository;
  /** Fill an empty boot tree with iPXE and a starter menu on the first start. */
  bootStarter: boolean;
  /** Where the starter finds iPXE (Debian's /usr/lib/ipxe when absent). */
  ipxeDir?: string;
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
  readonly #bootRoot: string;
  readonly #boot: BootControl;
  #starter?: StarterRecord;
  #bootHttpServer?: SendfileServer;
  #pxeAnswers = 0;

  constructor(options: BofiedOptions) {
    this.#options = options;
    const log = this.#log = options.log;
    const metrics = this.metrics = new BofiedMetrics(options.metrics);
    const base = join(options.dataDir, "bofied");
    const bootRoot = this.#bootRoot = join(base, "boot"), privateRoot = join(base, "private");
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
      bootAddress: () => this.#boot.bootAddress() || undefined,
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
    this.#boot = new BootControl({
      flags: options,
      state: options.state,
      log,
      makeTftp: (plan) => this.#tftpServer(plan),
      makeProxyDhcp: (interfaceName) =>
        new ProxyDhcp({ interfaceName, bootAnswers: this.bootAnswers, log, metrics: this.metrics }),
      onChange: (message, fields) => this.#publish("settings", message, fields),
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
      tftpAddress: this.#boot.servers.tftpPlan?.address ?? "",
      tftpPort: this.#boot.servers.tftpPort,
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
    if (options.bootStarter) {
      this.#starter = await installStarterOnce({
        bootRoot: this.#bootRoot,
        ipxeDir: options.ipxeDir,
        state: options.state,
        log,
      });
      this.#bootJail.changed();
    }
    await this.#boot.start();
  }

  async stop(): Promise<void> {
    this.rules.stop();
    await this.#bootHttpServer?.close();
    this.#servedEvents.flush();
    await this.#boot.stop();
  }

  /** The boot settings in force, which of them flags set, and what serves now. */
  bootSettings(): BootSettingsView {
    return this.#boot.view(this.#starter?.outcome === "installed" ? this.#starter.missing : []);
  }

  /** Checks, applies and stores the page's boot settings (FieldErrors when refused). */
  async setBootSettings(wanted: BootSettings): Promise<BootSettingsView> {
    await this.#boot.set(wanted);
    return this.bootSettings();
  }

  #tftpServer(plan: TftpPlan): TftpServer {
    return new TftpServer({
      jail: this.#bootJail,
      cache: this.#cache,
      ...plan,
      log: this.#log,
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
  }

  /** The address in boot URLs: the boot address in force, else the API's. */
  #server(): string {
    return this.#boot.bootAddress() || this.#options.listenAddress().hostname;
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
    kind: "tftp" | "http" | "rules-loaded" | "rules-error" | "settings",
    message: string,
    fields: Record<string, string>,
  ): void {
    this.events.publish({ time: new Date(), kind, message, fields });
  }
}
