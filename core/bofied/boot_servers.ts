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

const planKey = (plan: TftpPlan | undefined) =>
  plan ? `${plan.address}:${plan.port}%${plan.device ?? ""}` : "";

/**
 * The TFTP server and the proxyDHCP responder as they should be now: `apply` starts, moves or stops each
 * one to match a plan without a restart. A server that fails to start leaves the previous one serving.
 */
export class BootServers {
  readonly #options: BootServersOptions;
  #tftp?: { plan: TftpPlan; server: TftpServer };
  #proxy?: { interfaceName: string; server: ProxyDhcp };

  constructor(options: BootServersOptions) {
    this.#options = options;
  }

  get tftpPort(): number {
    return this.#tftp?.server.port ?? 0;
  }

  get tftpPlan(): TftpPlan | undefined {
    return this.#tftp?.plan;
  }

  get proxyDhcpInterface(): string {
    return this.#proxy?.interfaceName ?? "";
  }

  async applyTftp(plan: TftpPlan | undefined): Promise<void> {
    if (planKey(plan) === planKey(this.#tftp?.plan)) return;
    const previous = this.#tftp;
    // The old socket goes first: the new one may want the same port on the same device.
    if (previous) await previous.server.stop();
    this.#tftp = undefined;
    if (!plan) return this.#options.log.info("tftp stopped");
    try {
      this.#tftp = { plan, server: this.#started(this.#options.makeTftp(plan)) };
    } catch (error) {
      if (previous) {
        this.#restore(() =>
          this.#tftp = {
            plan: previous.plan,
            server: this.#started(
              this.#options.makeTftp(previous.plan),
            ),
          }
        );
      }
      throw error;
    }
  }

  async applyProxyDhcp(interfaceName: string): Promise<void> {
    if (interfaceName === (this.#proxy?.interfaceName ?? "")) return;
    const previous = this.#proxy;
    if (previous) await previous.server.stop();
    this.#proxy = undefined;
    if (!interfaceName) return this.#options.log.info("proxyDHCP stopped");
    try {
      this.#proxy = { interfaceName, server: this.#started(this.#options.makeProxyDhcp(interfaceName)) };
    } catch (error) {
      if (previous) {
        this.#restore(() =>
          this.#proxy = {
            interfaceName: previous.interfaceName,
            server: this.#started(this.#options.makeProxyDhcp(previous.interfaceName)),
          }
        );
      }
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.#tftp?.server.stop();
    await this.#proxy?.server.stop();
    this.#tftp = this.#proxy = undefined;
  }

  #started<T extends { start(): void }>(server: T): T {
    server.start();
    return server;
  }

  #restore(restart: () => void): void {
    try {
      restart();
    } catch (error) {
      this.#options.log.warn("could not restart the previous server", { error: String(error) });
    }
  }
}
