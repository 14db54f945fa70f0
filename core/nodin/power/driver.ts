/**
 * The one shape every way of powering a machine takes (IPMI, Redfish, libvirt, Wake-on-LAN, a webhook,
 * SSH): what it can do, what it sees, and the actions it takes. nodin's desired-state loop only ever talks
 * to this interface, so a new driver is one file and its tests.
 */

/** What a driver saw, or "unknown" when it could not see (BMC unreachable, wrong credentials). */
export type PowerState = "on" | "off" | "powering-on" | "powering-off" | "unknown";

/** "soft-off" asks the OS to shut down (ACPI); "off" cuts power; "cycle" is off then on. */
export type PowerAction = "on" | "off" | "soft-off" | "cycle" | "reset";

export type BootDevice = "pxe" | "disk" | "cdrom" | "bios";

export interface PowerCapabilities {
  /** The driver can observe power (Wake-on-LAN infers it from ARP/ping: still true). */
  status: boolean;
  actions: PowerAction[];
  bootDevices: BootDevice[];
}

/** One observation, with what it rests on ("IPMI Get Chassis Status: power on", "ARP reply from …"). */
export interface PowerObservation {
  state: PowerState;
  at: Date;
  evidence: string;
}

export interface BootDeviceOptions {
  /** Keep the device for every boot, not only the next one. */
  persistent: boolean;
  /** Ask for UEFI boot rather than legacy BIOS, where the BMC tells them apart. */
  uefi: boolean;
}

export interface PowerDriver {
  /** The driver's name as in a BMC reference: "ipmi", "redfish", "libvirt", "wol", "webhook", "ssh". */
  readonly driver: string;
  capabilities(): PowerCapabilities;
  /** Observes power now. Never throws for an unreachable or refusing BMC: that is "unknown" + evidence. */
  status(signal?: AbortSignal): Promise<PowerObservation>;
  /** Takes an action the capabilities list; throws PowerDriverError with a clear reason when refused. */
  act(action: PowerAction, signal?: AbortSignal): Promise<void>;
  setBootDevice?(device: BootDevice, options: BootDeviceOptions, signal?: AbortSignal): Promise<void>;
  /** Releases sessions and sockets. */
  close?(): Promise<void>;
}

/** Why a driver could not act: "auth" (wrong credentials), "unreachable", "unsupported", "refused". */
export class PowerDriverError extends Error {
  constructor(
    readonly kind: "auth" | "unreachable" | "unsupported" | "refused" | "protocol",
    message: string,
  ) {
    super(message);
    this.name = "PowerDriverError";
  }
}

/**
 * Where a node's power is reached: the driver, its address (host:port, URL, libvirt URI + domain …),
 * a credential by reference (never the secret itself: see secrets.ts) and driver options.
 */
export interface BmcReference {
  driver: string;
  address: string;
  credentialRef?: string;
  options?: Record<string, string>;
}

/** A stored secret, resolved by reference only when a driver needs it. */
export interface Credential {
  username?: string;
  password?: string;
  /** Tokens, keys (PEM), IPMI Kg … by name. */
  extra?: Record<string, string>;
}

export interface DriverFactory {
  driver: string;
  /** One line for the page's driver list. */
  summary: string;
  capabilities: PowerCapabilities;
  create(bmc: BmcReference, credential: Credential | undefined): PowerDriver;
}
