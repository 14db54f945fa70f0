import type { Logger } from "../log/logger.ts";
import type { ProxyDhcp } from "./proxy_dhcp.ts";
import type { TftpServer } from "./tftp/server.ts";

/** How TFTP should serve: an address and port, optionally only on one interface (SO_BINDTODEVICE). */
export interface TftpPlan {
  address: string;
  port: number;
  device?: string;
}

export interface BootServersOptions {
  makeTftp: (plan: TftpPlan) => TftpServer;
  makeProxyDhcp: (interfaceName: string) => ProxyDhcp;
  log: Logger;
}

interface Server {
  start(): void;
  stop(): Promise<void>;
}

/** One server that runs as its plan says, or not at all; a new plan replaces it. */
class Slot<Plan, S extends Server> {
  #running?: { plan: Plan; server: S };

  constructor(
    readonly what: string,
    readonly keyOf: (plan: Plan) => string,
    readonly make: (plan: Plan) => S,
    readonly log: Logger,
  ) {}

  get running(): { plan: Plan; server: S } | undefined {
    return this.#running;
  }

  async apply(plan: Plan | undefined): Promise<void> {
    const previous = this.#running;
    if ((plan === undefined ? "" : this.keyOf(plan)) === (previous ? this.keyOf(previous.plan) : "")) return;
    // The old socket goes first: the new one may want the same port on the same device.
    await previous?.server.stop();
    this.#running = undefined;
    if (plan === undefined) return this.log.info(`${this.what} stopped`);
    try {
      this.#running = this.#start(plan);
    } catch (error) {
      if (previous) {
        try {
          this.#running = this.#start(previous.plan);
        } catch (restartError) {
          this.log.warn(`${this.what}: the previous one could not restart`, { error: String(restartError) });
        }
      }
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.#running?.server.stop();
    this.#running = undefined;
  }

  #start(plan: Plan): { plan: Plan; server: S } {
    const server = this.make(plan);
    server.start();
    return { plan, server };
  }
}

/**
 * The TFTP server and the proxyDHCP responder as they should be now: each `apply` starts, moves or stops
 * one to match a plan without a restart. A server that fails to start leaves the previous one serving.
 */
export class BootServers {
  readonly #tftp: Slot<TftpPlan, TftpServer>;
  readonly #proxy: Slot<string, ProxyDhcp>;

  constructor(options: BootServersOptions) {
    const tftpKey = (plan: TftpPlan) => `${plan.address}:${plan.port}%${plan.device ?? ""}`;
    this.#tftp = new Slot("tftp", tftpKey, options.makeTftp, options.log);
    this.#proxy = new Slot("proxyDHCP", (name) => name, options.makeProxyDhcp, options.log);
  }

  get tftpPort(): number {
    return this.#tftp.running?.server.port ?? 0;
  }

  get tftpPlan(): TftpPlan | undefined {
    return this.#tftp.running?.plan;
  }

  get proxyDhcpInterface(): string {
    return this.#proxy.running?.plan ?? "";
  }

  applyTftp(plan: TftpPlan | undefined): Promise<void> {
    return this.#tftp.apply(plan);
  }

  /** "" stops it. */
  applyProxyDhcp(interfaceName: string): Promise<void> {
    return this.#proxy.apply(interfaceName || undefined);
  }

  async stop(): Promise<void> {
    await this.#tftp.stop();
    await this.#proxy.stop();
  }
}
