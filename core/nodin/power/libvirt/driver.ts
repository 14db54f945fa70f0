/**
 * The libvirt power driver, through Debian's `virsh` (libvirt-clients): a domain's state, start,
 * destroy (power cut), shutdown (ACPI), reset, and the boot device in its persistent definition.
 *
 * BMC reference: address is the libvirt URI ("qemu:///system", "qemu+ssh://host/system",
 * "qemu:///system?socket=/path/libvirt-sock"); options: domain (name or UUID, required), timeoutMs (per
 * virsh call, default 15000), virsh (the binary, default "virsh"). Credential (for SASL-authenticated
 * URIs): username, password — handed to virsh in a private auth file, never on its command line.
 *
 * libvirt has no one-shot boot override: the device set stays in the definition until set again (takes
 * effect at the next start), and UEFI versus BIOS is the domain's firmware, not a boot option.
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
  type PowerState,
} from "../driver.ts";
import { DomainXmlError, LIBVIRT_BOOTABLE, withBootDevice } from "./domain_xml.ts";
import { Virsh } from "./virsh.ts";

const DEFAULT_TIMEOUT_MS = 15_000;

const LIBVIRT_CAPABILITIES: PowerCapabilities = {
  status: true,
  actions: ["on", "off", "soft-off", "cycle", "reset"],
  bootDevices: LIBVIRT_BOOTABLE,
};

/** virsh domstate's words (virDomainState) to nodin's states. */
const DOMAIN_STATES: Record<string, PowerState> = {
  running: "on",
  idle: "on",
  blocked: "on",
  paused: "on",
  "in shutdown": "powering-off",
  "shut off": "off",
  crashed: "off",
  pmsuspended: "on",
};

export class LibvirtDriver implements PowerDriver {
  readonly driver = "libvirt";
  readonly #virsh: Virsh;
  readonly #domain: string;

  constructor(bmc: BmcReference, credential: Credential | undefined) {
    const domain = bmc.options?.domain;
    if (domain === undefined || domain === "") {
      throw new PowerDriverError("unsupported", "libvirt BMC reference needs options.domain");
    }
    this.#domain = domain;
    const timeoutMs = Number(bmc.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.#virsh = new Virsh({
      uri: bmc.address,
      timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS,
      virsh: bmc.options?.virsh,
      credential,
    });
  }

  capabilities(): PowerCapabilities {
    return LIBVIRT_CAPABILITIES;
  }

  async status(signal?: AbortSignal): Promise<PowerObservation> {
    try {
      const word = await this.#domstate(signal);
      return {
        state: DOMAIN_STATES[word] ?? "unknown",
        at: new Date(),
        evidence: `virsh -c ${this.#virsh.uri} domstate ${this.#domain}: ${word}`,
      };
    } catch (error) {
      if (!(error instanceof PowerDriverError)) throw error;
      return { state: "unknown", at: new Date(), evidence: `${error.kind}: ${error.message}` };
    }
  }

  async act(action: PowerAction, signal?: AbortSignal): Promise<void> {
    const state = DOMAIN_STATES[await this.#domstate(signal)] ?? "unknown";
    switch (action) {
      case "on":
        // start on an active domain is an error in virsh; for nodin "on" when on is done.
        if (state !== "on") await this.#virsh.run(["start", this.#domain], signal);
        return;
      case "off":
        if (state !== "off") await this.#virsh.run(["destroy", this.#domain], signal);
        return;
      case "soft-off":
        if (state !== "off") await this.#virsh.run(["shutdown", this.#domain], signal);
        return;
      case "reset":
        if (state === "off") {
          throw new PowerDriverError("refused", `libvirt ${this.#domain}: reset needs a running domain`);
        }
        await this.#virsh.run(["reset", this.#domain], signal);
        return;
      case "cycle":
        // libvirt has no power cycle: power cut, then start (which also picks up a new boot device).
        if (state !== "off") await this.#virsh.run(["destroy", this.#domain], signal);
        await this.#virsh.run(["start", this.#domain], signal);
        return;
    }
  }

  async setBootDevice(device: BootDevice, _options: BootDeviceOptions, signal?: AbortSignal): Promise<void> {
    if (!LIBVIRT_BOOTABLE.includes(device)) {
      throw new PowerDriverError("unsupported", `libvirt cannot boot "${device}"`);
    }
    const xml = await this.#virsh.run(["dumpxml", "--inactive", "--security-info", this.#domain], signal);
    let changed: string;
    try {
      changed = withBootDevice(xml.stdout, device);
    } catch (error) {
      if (error instanceof DomainXmlError) throw new PowerDriverError("protocol", error.message);
      throw error;
    }
    await this.#virsh.define(changed, signal);
  }

  async #domstate(signal?: AbortSignal): Promise<string> {
    const result = await this.#virsh.run(["domstate", this.#domain], signal);
    return result.stdout.trim();
  }
}

export const libvirtFactory: DriverFactory = {
  driver: "libvirt",
  summary: "libvirt domains through virsh: start, destroy, ACPI shutdown, reset, boot device",
  capabilities: LIBVIRT_CAPABILITIES,
  create: (bmc, credential) => new LibvirtDriver(bmc, credential),
};
