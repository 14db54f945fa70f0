import type {
  BmcReference,
  Credential,
  DriverFactory,
  PowerAction,
  PowerCapabilities,
  PowerDriver,
  PowerObservation,
} from "../power/driver.ts";
import { PowerDriverError } from "../power/driver.ts";

/**
 * A FAKE power driver, for the desired-state loop's timing tests only: a machine in memory that takes
 * `transitionMs` to change state, an OS that may ignore soft off, a BMC that may be unreachable. Real
 * drivers are tested against real BMCs and hypervisors.
 */
export class FakePowerDriver implements PowerDriver {
  readonly driver = "fake";
  power: "on" | "off" = "off";
  reachable = true;
  /** Whether the "OS" shuts down on a soft off (ACPI). */
  honoursSoftOff = true;
  readonly actions: PowerAction[] = [];
  statusCalls = 0;
  #pending: { to: "on" | "off"; at: number } | undefined;

  constructor(readonly transitionMs = 30, readonly canSoftOff = true) {}

  capabilities(): PowerCapabilities {
    return {
      status: true,
      actions: this.canSoftOff ? ["on", "off", "soft-off"] : ["on", "off"],
      bootDevices: [],
    };
  }

  #settle(): void {
    if (this.#pending && Date.now() >= this.#pending.at) {
      this.power = this.#pending.to;
      this.#pending = undefined;
    }
  }

  status(): Promise<PowerObservation> {
    this.statusCalls++;
    this.#settle();
    if (!this.reachable) {
      return Promise.resolve({ state: "unknown", at: new Date(), evidence: "fake BMC unreachable" });
    }
    return Promise.resolve({ state: this.power, at: new Date(), evidence: `fake BMC: ${this.power}` });
  }

  act(action: PowerAction): Promise<void> {
    if (!this.reachable) return Promise.reject(new PowerDriverError("unreachable", "fake BMC unreachable"));
    this.actions.push(action);
    this.#settle();
    if (action === "on") this.#pending = { to: "on", at: Date.now() + this.transitionMs };
    if (action === "off") this.#pending = { to: "off", at: Date.now() + this.transitionMs };
    if (action === "soft-off" && this.honoursSoftOff) {
      this.#pending = { to: "off", at: Date.now() + this.transitionMs };
    }
    return Promise.resolve();
  }
}

/** A FAKE driver factory: one FakePowerDriver per BMC address, kept so a test can look at and steer it. */
export function fakeDriverFactory(machines = new Map<string, FakePowerDriver>()): DriverFactory & {
  machines: Map<string, FakePowerDriver>;
  credentials: Map<string, Credential | undefined>;
} {
  const credentials = new Map<string, Credential | undefined>();
  return {
    driver: "fake",
    summary: "FAKE in-memory machines, for tests of the power loop",
    capabilities: new FakePowerDriver().capabilities(),
    machines,
    credentials,
    create(bmc: BmcReference, credential: Credential | undefined) {
      credentials.set(bmc.address, credential);
      let machine = machines.get(bmc.address);
      if (!machine) machines.set(bmc.address, machine = new FakePowerDriver());
      return machine;
    },
  };
}
