import {
  BOOT_PARAMETER_FLAGS,
  BootDeviceSelector,
  ChassisControl,
  type CipherSuite,
  Command,
  completionCodeText,
  decodeBootFlags,
  decodeChassisStatus,
  getBootParameterData,
  type IpmiResponse,
  isUnsupportedCompletion,
  NetFn,
  setBootFlagsData,
} from "../../../net/ipmi/mod.ts";
import {
  type BootDevice,
  type BootDeviceOptions,
  type PowerAction,
  type PowerCapabilities,
  type PowerDriver,
  PowerDriverError,
  type PowerObservation,
} from "../driver.ts";
import { type BmcAddress, resolveBmcHost } from "./address.ts";
import { IpmiSession, type SessionCredentials } from "./session.ts";
import { BmcTransport } from "./transport.ts";

// Power through a BMC over IPMI 2.0 (RMCP+). Every call opens a session, does its commands and closes
// it: BMCs have few session slots and drop idle ones, and a poll every few seconds costs six datagrams.

export const IPMI_CAPABILITIES: PowerCapabilities = {
  status: true,
  actions: ["on", "off", "soft-off", "cycle", "reset"],
  bootDevices: ["pxe", "disk", "cdrom", "bios"],
};

const ACTION_CODES: Record<PowerAction, number> = {
  on: ChassisControl.powerUp,
  off: ChassisControl.powerDown,
  "soft-off": ChassisControl.softShutdown,
  cycle: ChassisControl.powerCycle,
  reset: ChassisControl.hardReset,
};

const BOOT_DEVICES: Record<BootDevice, number> = {
  pxe: BootDeviceSelector.pxe,
  disk: BootDeviceSelector.disk,
  cdrom: BootDeviceSelector.cdrom,
  bios: BootDeviceSelector.bios,
};

export interface IpmiDriverOptions {
  address: BmcAddress;
  credentials: SessionCredentials;
  suite: CipherSuite;
  privilege: number;
  /** Wait for each answer before resending; default 1000 ms. */
  timeoutMs: number;
  /** Resends per step; default 2, so an unreachable BMC is "unknown" after about 3 s. */
  retries: number;
  netns?: string;
}

/** What Get System Boot Options reports for boot flags. */
export interface BootFlagsObservation {
  device: BootDevice | "none" | `selector ${number}`;
  valid: boolean;
  persistent: boolean;
  uefi: boolean;
}

export class IpmiPowerDriver implements PowerDriver {
  readonly driver = "ipmi";
  readonly #options: IpmiDriverOptions;

  constructor(options: IpmiDriverOptions) {
    this.#options = options;
  }

  get #where(): string {
    return `${this.#options.address.host}:${this.#options.address.port}`;
  }

  capabilities(): PowerCapabilities {
    return IPMI_CAPABILITIES;
  }

  async status(signal?: AbortSignal): Promise<PowerObservation> {
    try {
      const status = await this.#withSession(async (session) => {
        const response = await session.command(
          NetFn.chassis,
          Command.getChassisStatus,
          new Uint8Array(0),
          signal,
        );
        const data = this.#completed(response, "Get Chassis Status");
        const decoded = decodeChassisStatus(data);
        if (!decoded.ok) {
          throw new PowerDriverError("protocol", `BMC ${this.#where}: ${decoded.error.message}`);
        }
        return decoded.value;
      }, signal);
      const faults = [
        status.powerFault && "power fault",
        status.powerControlFault && "power control fault",
        status.powerOverload && "power overload",
        status.interlock && "interlock",
      ].filter(Boolean);
      return {
        state: status.powerOn ? "on" : "off",
        at: new Date(),
        evidence: `IPMI Get Chassis Status from ${this.#where}: power ${status.powerOn ? "on" : "off"}` +
          (faults.length ? ` (${faults.join(", ")})` : ""),
      };
    } catch (error) {
      if (signal?.aborted) throw error;
      const kind = error instanceof PowerDriverError ? error.kind : "protocol";
      return { state: "unknown", at: new Date(), evidence: `IPMI ${kind}: ${(error as Error).message}` };
    }
  }

  async act(action: PowerAction, signal?: AbortSignal): Promise<void> {
    const code = ACTION_CODES[action];
    if (code === undefined) throw new PowerDriverError("unsupported", `IPMI has no power action "${action}"`);
    await this.#withSession(async (session) => {
      const response = await session.command(
        NetFn.chassis,
        Command.chassisControl,
        Uint8Array.of(code),
        signal,
      );
      this.#completed(response, `Chassis Control (${action})`);
    }, signal);
  }

  async setBootDevice(device: BootDevice, options: BootDeviceOptions, signal?: AbortSignal): Promise<void> {
    const selector = BOOT_DEVICES[device];
    if (selector === undefined) {
      throw new PowerDriverError("unsupported", `IPMI has no boot device "${device}"`);
    }
    await this.#withSession(async (session) => {
      const data = setBootFlagsData({
        valid: true,
        persistent: options.persistent,
        efi: options.uefi,
        device: selector,
      });
      const response = await session.command(NetFn.chassis, Command.setSystemBootOptions, data, signal);
      this.#completed(response, `Set System Boot Options (boot flags: ${device})`);
    }, signal);
  }

  /** Reads boot flags back (Get System Boot Options, parameter 5). */
  async bootDevice(signal?: AbortSignal): Promise<BootFlagsObservation> {
    return await this.#withSession(async (session) => {
      const response = await session.command(
        NetFn.chassis,
        Command.getSystemBootOptions,
        getBootParameterData(BOOT_PARAMETER_FLAGS),
        signal,
      );
      const flags = decodeBootFlags(this.#completed(response, "Get System Boot Options (boot flags)"));
      if (!flags.ok) throw new PowerDriverError("protocol", `BMC ${this.#where}: ${flags.error.message}`);
      const named = (Object.entries(BOOT_DEVICES) as [BootDevice, number][])
        .find(([, value]) => value === flags.value.device)?.[0];
      return {
        device: named ?? (flags.value.device === 0 ? "none" : `selector ${flags.value.device}`),
        valid: flags.value.valid,
        persistent: flags.value.persistent,
        uefi: flags.value.efi,
      };
    }, signal);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #completed(response: IpmiResponse, what: string): Uint8Array {
    if (response.completionCode === 0) return response.data;
    const text = completionCodeText(response.completionCode);
    if (response.completionCode === 0xd4) {
      throw new PowerDriverError("auth", `BMC ${this.#where} refused ${what}: ${text}`);
    }
    throw new PowerDriverError(
      isUnsupportedCompletion(response.completionCode) ? "unsupported" : "refused",
      `BMC ${this.#where} refused ${what}: ${text}`,
    );
  }

  async #withSession<T>(body: (session: IpmiSession) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { address, credentials, suite, privilege, timeoutMs, retries, netns } = this.#options;
    const host = await resolveBmcHost(address.host);
    using transport = BmcTransport.open(host, address.port, { timeoutMs, retries, netns });
    const session = await IpmiSession.open(transport, credentials, { suite, privilege }, signal);
    try {
      return await body(session);
    } finally {
      await session.close();
    }
  }
}
