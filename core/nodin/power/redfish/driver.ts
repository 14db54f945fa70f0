/**
 * The Redfish power driver: power state from the ComputerSystem, actions through its
 * ComputerSystem.Reset (only the reset types the system allows), boot override by PATCH with If-Match
 * when the service gives an ETag.
 *
 * BMC reference: address is the service's URL ("https://10.0.0.5", "http://127.0.0.1:8000"; https when no
 * scheme is given); options: system (an Id under /redfish/v1/Systems or a full path; default the first
 * member), auth ("session", the default, falls back to Basic where there is no session service; or
 * "basic"), timeoutMs (per request, default 10000). Credential: username, password, extra.caCert (PEM).
 */
import {
  type BmcReference,
  type BootDevice,
  type BootDeviceOptions,
  type Credential,
  type DriverFactory,
  type PowerAction,
  type PowerCapabilities,
  type PowerDriver,
  PowerDriverError,
  type PowerObservation,
} from "../driver.ts";
import { RedfishClient, RedfishHttpError } from "./client.ts";
import {
  bootOverridePatch,
  bootTargetFor,
  capabilitiesOf,
  firstMember,
  parseComputerSystem,
  parseResetActionInfo,
  powerStateOf,
  type RedfishSystem,
  resetTypeFor,
  STANDARD_RESET_TYPES,
} from "./codec.ts";

const DEFAULT_TIMEOUT_MS = 10_000;

/** The most a Redfish system may offer; each system's own list narrows it (capabilities()). */
const REDFISH_CAPABILITIES: PowerCapabilities = {
  status: true,
  actions: ["on", "off", "soft-off", "cycle", "reset"],
  bootDevices: ["pxe", "disk", "cdrom", "bios"],
};

interface SystemView {
  system: RedfishSystem;
  etag?: string;
  resetTypes: string[];
}

export class RedfishDriver implements PowerDriver {
  readonly driver = "redfish";
  readonly #client: RedfishClient;
  readonly #systemOption?: string;
  #systemPath?: string;
  #capabilities?: PowerCapabilities;

  constructor(bmc: BmcReference, credential: Credential | undefined) {
    const address = /^[a-z]+:\/\//i.test(bmc.address) ? bmc.address : `https://${bmc.address}`;
    const url = new URL(address);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new PowerDriverError("unsupported", `Redfish address ${bmc.address}: not http(s)`);
    }
    const timeoutMs = Number(bmc.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const auth = bmc.options?.auth ?? "session";
    if (auth !== "session" && auth !== "basic") {
      throw new PowerDriverError("unsupported", `Redfish auth ${auth}: use "session" or "basic"`);
    }
    this.#client = new RedfishClient({
      origin: url.origin,
      username: credential?.username,
      password: credential?.password,
      auth,
      timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS,
      caCert: credential?.extra?.caCert,
    });
    this.#systemOption = bmc.options?.system;
  }

  /** What this system allows once it has been read; the Redfish maximum before. */
  capabilities(): PowerCapabilities {
    return this.#capabilities ?? REDFISH_CAPABILITIES;
  }

  async status(signal?: AbortSignal): Promise<PowerObservation> {
    try {
      const { system } = await this.#view(signal);
      return {
        state: powerStateOf(system.powerState),
        at: new Date(),
        evidence: `Redfish GET ${system.path}: PowerState ${system.powerState ?? "absent"}`,
      };
    } catch (error) {
      if (!(error instanceof PowerDriverError)) throw error;
      return { state: "unknown", at: new Date(), evidence: `${error.kind}: ${error.message}` };
    }
  }

  async act(action: PowerAction, signal?: AbortSignal): Promise<void> {
    const { system, resetTypes } = await this.#view(signal);
    const resetType = resetTypeFor(action, resetTypes);
    if (system.resetTarget === undefined || resetType === undefined) {
      throw new PowerDriverError(
        "unsupported",
        `Redfish ${system.path}: no reset type for "${action}" (allowed: ${resetTypes.join(", ") || "none"})`,
      );
    }
    await this.#client.request("POST", system.resetTarget, { body: { ResetType: resetType }, signal });
  }

  async setBootDevice(device: BootDevice, options: BootDeviceOptions, signal?: AbortSignal): Promise<void> {
    for (let attempt = 1;; attempt++) {
      const { system, etag } = await this.#view(signal);
      const targets = system.boot.targets;
      if (targets !== undefined && !targets.includes(bootTargetFor(device))) {
        throw new PowerDriverError(
          "unsupported",
          `Redfish ${system.path}: boot target ${bootTargetFor(device)} not allowed (${targets.join(", ")})`,
        );
      }
      try {
        await this.#client.request("PATCH", system.path, {
          body: bootOverridePatch(system, device, options),
          headers: etag === undefined ? {} : { "If-Match": etag },
          signal,
        });
        return;
      } catch (error) {
        // Someone changed the system between our read and our write: read it again, once.
        if (attempt >= 2 || !(error instanceof RedfishHttpError) || error.status !== 412) throw error;
      }
    }
  }

  async close(): Promise<void> {
    await this.#client.logout();
  }

  async #view(signal?: AbortSignal): Promise<SystemView> {
    const path = await this.#resolveSystemPath(signal);
    const response = await this.#client.request("GET", path, { signal });
    let system: RedfishSystem;
    try {
      system = parseComputerSystem(response.body);
    } catch (error) {
      throw new PowerDriverError("protocol", `Redfish GET ${path}: ${(error as Error).message}`);
    }
    let resetTypes = system.resetTypes;
    if (resetTypes === undefined && system.resetActionInfo !== undefined) {
      const info = await this.#client.request("GET", system.resetActionInfo, { signal });
      resetTypes = parseResetActionInfo(info.body);
    }
    resetTypes ??= STANDARD_RESET_TYPES;
    this.#capabilities = capabilitiesOf(system, resetTypes);
    return { system, etag: response.headers.get("ETag") ?? system.etag, resetTypes };
  }

  async #resolveSystemPath(signal?: AbortSignal): Promise<string> {
    if (this.#systemPath !== undefined) return this.#systemPath;
    const option = this.#systemOption;
    if (option !== undefined) {
      this.#systemPath = option.startsWith("/")
        ? option
        : `/redfish/v1/Systems/${encodeURIComponent(option)}`;
      return this.#systemPath;
    }
    const systems = await this.#client.request("GET", "/redfish/v1/Systems", { signal });
    const first = firstMember(systems.body);
    if (first === undefined) {
      throw new PowerDriverError(
        "protocol",
        `Redfish ${this.#client.origin}: no ComputerSystem in /redfish/v1/Systems`,
      );
    }
    this.#systemPath = first;
    return first;
  }
}

export const redfishFactory: DriverFactory = {
  driver: "redfish",
  summary: "Redfish (DMTF): ComputerSystem.Reset and boot override over HTTPS, session or Basic auth",
  capabilities: REDFISH_CAPABILITIES,
  create: (bmc, credential) => new RedfishDriver(bmc, credential),
};
