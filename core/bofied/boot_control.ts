import type { HostPort } from "../config/flags.ts";
import { FieldErrors } from "../errors/field_errors.ts";
import type { Logger } from "../log/logger.ts";
import { BootServers, type BootServersOptions, type TftpPlan } from "./boot_servers.ts";
import {
  type BootSettings,
  type BootSettingsView,
  checkBootSettings,
  effectiveBootAddress,
  type FlagSettings,
  flagSettingsOf,
  noBootSettings,
  settingsInForce,
} from "./boot_settings.ts";
import type { BofiedStateRepository } from "./store_sqlite.ts";

export interface BootControlOptions extends BootServersOptions {
  /** The boot flags given at start; each wins over the page for its field. */
  flags: { tftpListen?: HostPort; tftpInterface: string; proxyDhcpInterface: string; bootAddress: string };
  state: Pick<BofiedStateRepository, "loadBootSettings" | "saveBootSettings">;
  log: Logger;
  onChange: (message: string, fields: Record<string, string>) => void;
}

const errorText = (error: unknown) => error instanceof Error ? error.message : String(error);

/**
 * The boot settings (the page's, stored, under the flags) and the servers they ask for: applies them at
 * start and on every change, one change at a time.
 */
export class BootControl {
  readonly #options: BootControlOptions;
  readonly #servers: BootServers;
  /** Fields the command line sets; the page may not change them. */
  readonly #flags: FlagSettings;
  /** What the page chose (stored), flags not applied. */
  #stored: BootSettings;
  #change: Promise<unknown> = Promise.resolve();

  constructor(options: BootControlOptions) {
    this.#options = options;
    this.#servers = new BootServers(options);
    this.#flags = flagSettingsOf(options.flags);
    this.#stored = { ...noBootSettings, ...options.state.loadBootSettings() };
  }

  get servers(): BootServers {
    return this.#servers;
  }

  /** The address booting machines come back to: the setting (or flag), else the chosen interface's. */
  bootAddress(): string {
    return effectiveBootAddress(settingsInForce(this.#stored, this.#flags));
  }

  /** The boot settings in force, which of them flags set, and what serves now. */
  view(starterMissing: string[]): BootSettingsView {
    const settings = settingsInForce(this.#stored, this.#flags);
    return {
      settings,
      setByFlag: Object.fromEntries(Object.entries(this.#flags).map(([field, set]) => [field, set.flag])),
      effectiveBootAddress: effectiveBootAddress(settings),
      tftpPort: this.#servers.tftpPort,
      proxyDhcpServing: this.#servers.proxyDhcpInterface !== "",
      starterMissing,
    };
  }

  /**
   * Starts what the flags and the stored settings ask for. A flag's server that cannot start stops the
   * binary, as before; a stored choice that no longer fits the machine (the interface went away) is
   * reported and left off, so the page can still be reached to change it.
   */
  async start(): Promise<void> {
    const settings = settingsInForce(this.#stored, this.#flags);
    const attempts: [keyof BootSettings, () => Promise<void>][] = [
      ["tftpInterface", () => this.#servers.applyTftp(this.#tftpPlan(settings))],
      ["proxyDhcpInterface", () => this.#servers.applyProxyDhcp(settings.proxyDhcpInterface)],
    ];
    for (const [field, attempt] of attempts) {
      try {
        await attempt();
      } catch (error) {
        if (this.#flags[field]) throw error;
        const fields = { field, interface: settings[field], error: errorText(error) };
        this.#options.log.warn("boot setting not applied", fields);
        this.#options.onChange(`${field} ${settings[field]} not applied: ${fields.error}`, fields);
      }
    }
  }

  async stop(): Promise<void> {
    await this.#change;
    await this.#servers.stop();
  }

  /**
   * Checks, applies and stores settings from the page. Wrong fields, and a server that cannot start, are
   * refused as FieldErrors; the servers then stay as they were.
   */
  set(wanted: BootSettings): Promise<void> {
    const change = this.#change.then(() => this.#set(wanted));
    this.#change = change.catch(() => {});
    return change;
  }

  async #set(wanted: BootSettings): Promise<void> {
    checkBootSettings(wanted, this.#flags);
    // A flag's field keeps the page's earlier choice underneath, for the day the flag goes away.
    const next = { ...wanted };
    for (const field of Object.keys(this.#flags) as (keyof BootSettings)[]) next[field] = this.#stored[field];
    const before = this.#servers.tftpPlan;
    const inForce = settingsInForce(next, this.#flags);
    try {
      await this.#servers.applyTftp(this.#tftpPlan(inForce));
    } catch (error) {
      throw new FieldErrors([{
        field: "tftpInterface",
        message: `TFTP could not start: ${errorText(error)}`,
      }]);
    }
    try {
      await this.#servers.applyProxyDhcp(inForce.proxyDhcpInterface);
    } catch (error) {
      await this.#servers.applyTftp(before).catch(() => {});
      throw new FieldErrors([
        { field: "proxyDhcpInterface", message: `proxyDHCP could not start: ${errorText(error)}` },
      ]);
    }
    this.#stored = next;
    this.#options.state.saveBootSettings(next);
    this.#options.onChange("boot settings saved", {
      tftp: inForce.tftpInterface || "off",
      proxydhcp: inForce.proxyDhcpInterface || "off",
      address: effectiveBootAddress(inForce),
    });
  }

  /**
   * TFTP as the flags say, else on the interface the page chose: 0.0.0.0:69 bound to that device
   * (SO_BINDTODEVICE) rather than to the interface's address. Bound to the address, Linux would also take
   * requests for it that arrive on other interfaces, and a changed address (DHCP renewal) would need a
   * rebind; bound to the device, only that interface is served, whatever its address.
   */
  #tftpPlan(settings: BootSettings): TftpPlan | undefined {
    const flag = this.#options.flags.tftpListen;
    if (flag) {
      return {
        address: flag.hostname,
        port: flag.port,
        device: this.#options.flags.tftpInterface || undefined,
      };
    }
    return settings.tftpInterface
      ? { address: "0.0.0.0", port: 69, device: settings.tftpInterface }
      : undefined;
  }
}
