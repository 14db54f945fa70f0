import { WakeableSleep } from "../../time/sleep.ts";
import type { DesiredPowerRecord } from "../model.ts";
import type { BmcReference, PowerAction, PowerDriver, PowerObservation } from "./driver.ts";
import { PowerDriverError } from "./driver.ts";

export interface PowerTiming {
  /** Between polls of a node at rest. */
  pollMs: number;
  /** Between polls while an action is in flight. */
  busyPollMs: number;
  /** Longest wait for one status or action call. */
  callTimeoutMs: number;
  /** How long an "on"/"off" may take to show before it is tried again. */
  actionTimeoutMs: number;
  /** How long a soft off (ACPI) may take before power is cut. */
  softOffTimeoutMs: number;
  /** The longest wait between polls of a node that keeps failing (doubling from pollMs). */
  maxBackoffMs: number;
}

export const defaultPowerTiming: PowerTiming = {
  pollMs: 15_000,
  busyPollMs: 1_000,
  callTimeoutMs: 10_000,
  actionTimeoutMs: 60_000,
  softOffTimeoutMs: 120_000,
  maxBackoffMs: 300_000,
};

/** What a worker needs from nodin: the node's wishes, a driver, and where its findings go. */
export interface PowerHost {
  /** The node's BMC reference and desired power now; undefined once the node or its BMC is gone. */
  target(id: string): { bmc: BmcReference; desired: DesiredPowerRecord } | undefined;
  driver(bmc: BmcReference): PowerDriver;
  /** A state seen (or "powering-…" while an action is in flight); recorded when it changes. */
  observed(id: string, observation: PowerObservation): void;
  /** An action taken or refused, for the node's history. */
  note(id: string, message: string): void;
}

interface InFlight {
  target: "on" | "off";
  action: PowerAction;
  startedAt: number;
  /** The desired state it serves, by its time: a newer wish drops it. */
  desiredAt: number;
}

/**
 * One node's desired-state loop: poll the driver, record what it sees, and act when the desired state and
 * the observed one differ — soft off first where asked and possible, power cut after the soft-off timeout.
 * An unreachable BMC is "unknown": nothing is done until it answers again, and polling backs off. The
 * desired state lives in the store, so a restart picks up where this left off.
 */
export class PowerWorker {
  readonly #stop = new AbortController();
  readonly #nap = new WakeableSleep();
  #inFlight: InFlight | undefined;
  #cycleAsked = false;
  #failures = 0;
  #driver: { key: string; driver: PowerDriver } | undefined;
  /** For drivers that cannot observe: the desired state acted on last, by its time. */
  #actedOn = -1;
  readonly done: Promise<void>;

  constructor(
    readonly id: string,
    private readonly host: PowerHost,
    private readonly timing: PowerTiming,
    private readonly now: () => number = Date.now,
  ) {
    this.done = this.#run();
  }

  /** Polls now instead of at the next tick (the desired state or the BMC changed). */
  wake(): void {
    this.#failures = 0;
    this.#nap.wake();
  }

  /** Power off (if on) then on, at the next tick. */
  cycle(): void {
    this.#cycleAsked = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#nap.wake();
    await this.done;
  }

  async #run(): Promise<void> {
    try {
      while (!this.#stop.signal.aborted) {
        const target = this.host.target(this.id);
        if (!target) break;
        const delay = await this.#tick(target.bmc, target.desired);
        await this.#nap.sleep(delay, this.#stop.signal);
      }
    } finally {
      await this.#driver?.driver.close?.().catch(() => {});
      this.#driver = undefined;
    }
  }

  #driverFor(bmc: BmcReference): PowerDriver {
    const key = JSON.stringify(bmc);
    if (this.#driver?.key !== key) {
      void this.#driver?.driver.close?.().catch(() => {});
      this.#driver = { key, driver: this.host.driver(bmc) };
      this.#inFlight = undefined;
    }
    return this.#driver.driver;
  }

  async #tick(bmc: BmcReference, desired: DesiredPowerRecord): Promise<number> {
    let driver: PowerDriver;
    try {
      driver = this.#driverFor(bmc);
    } catch (error) {
      this.host.observed(this.id, { state: "unknown", at: new Date(this.now()), evidence: messageOf(error) });
      return this.#backoff();
    }
    if (!driver.capabilities().status) return await this.#blind(driver, desired);
    const seen = await this.#status(driver);
    if (this.#stop.signal.aborted) return 0;
    if (this.#inFlight && this.#inFlight.desiredAt !== desired.at) this.#inFlight = undefined;
    const inFlight = this.#inFlight;
    if (inFlight) return await this.#follow(driver, inFlight, seen, desired);
    this.host.observed(this.id, seen);
    if (seen.state === "unknown") return this.#backoff();
    if (this.#cycleAsked && (seen.state === "on" || seen.state === "off")) {
      this.#cycleAsked = false;
      if (seen.state === "on") {
        const cycle = driver.capabilities().actions.includes("cycle");
        return await this.#act(driver, cycle ? "cycle" : "off", cycle ? "on" : "off", "cycle asked", desired);
      }
    }
    if (desired.state === "on" && seen.state === "off") {
      return await this.#act(driver, "on", "on", `desired on since ${iso(desired.at)}`, desired);
    }
    if (desired.state === "off" && seen.state === "on") {
      const soft = desired.offMode === "soft" && driver.capabilities().actions.includes("soft-off");
      const why = `desired off since ${iso(desired.at)}`;
      return await this.#act(driver, soft ? "soft-off" : "off", "off", why, desired);
    }
    this.#failures = 0;
    return this.timing.pollMs;
  }

  /** An action in flight: done when the state shows, escalated (soft → hard off) or retried on timeout. */
  async #follow(
    driver: PowerDriver,
    inFlight: InFlight,
    seen: PowerObservation,
    desired: DesiredPowerRecord,
  ): Promise<number> {
    const waited = this.now() - inFlight.startedAt;
    if (seen.state === inFlight.target) {
      this.#inFlight = undefined;
      this.#failures = 0;
      this.host.observed(this.id, seen);
      return this.timing.pollMs;
    }
    if (inFlight.action === "soft-off" && waited >= this.timing.softOffTimeoutMs) {
      this.host.note(this.id, `soft off not done after ${seconds(waited)}: cutting power`);
      return await this.#act(driver, "off", "off", "soft off timed out", desired);
    }
    if (waited >= this.timing.actionTimeoutMs) {
      this.#inFlight = undefined;
      this.host.note(this.id, `${inFlight.action} did not show within ${seconds(waited)}: ${seen.evidence}`);
      this.host.observed(this.id, seen);
      return this.#backoff();
    }
    this.host.observed(this.id, {
      state: inFlight.target === "on" ? "powering-on" : "powering-off",
      at: new Date(this.now()),
      evidence: `${inFlight.action} asked ${seconds(waited)} ago; ${driver.driver} says: ${seen.evidence}`,
    });
    return this.timing.busyPollMs;
  }

  async #act(
    driver: PowerDriver,
    action: PowerAction,
    target: "on" | "off",
    why: string,
    desired: DesiredPowerRecord,
  ): Promise<number> {
    const startedAt = this.now();
    try {
      await driver.act(action, this.#callSignal());
    } catch (error) {
      if (this.#stop.signal.aborted) return 0;
      this.host.note(this.id, `${action} refused (${why}): ${messageOf(error)}`);
      if (error instanceof PowerDriverError && (error.kind === "auth" || error.kind === "unreachable")) {
        this.host.observed(this.id, {
          state: "unknown",
          at: new Date(this.now()),
          evidence: messageOf(error),
        });
      }
      return this.#backoff();
    }
    this.#inFlight = { target, action, startedAt, desiredAt: desired.at };
    const escalation = action === "soft-off"
      ? `; power cut after ${seconds(this.timing.softOffTimeoutMs)}`
      : "";
    this.host.note(this.id, `${driver.driver}: ${action} (${why})${escalation}`);
    this.host.observed(this.id, {
      state: target === "on" ? "powering-on" : "powering-off",
      at: new Date(this.now()),
      evidence: `${driver.driver}: ${action} asked${escalation}`,
    });
    return this.timing.busyPollMs;
  }

  /** A driver that cannot observe: act once per desired change and take the answer as the state. */
  async #blind(driver: PowerDriver, desired: DesiredPowerRecord): Promise<number> {
    if (desired.state === "" || desired.at === this.#actedOn) return this.timing.pollMs;
    const action: PowerAction = desired.state === "on" ? "on" : "off";
    try {
      await driver.act(action, this.#callSignal());
    } catch (error) {
      if (this.#stop.signal.aborted) return 0;
      this.host.note(this.id, `${action} refused: ${messageOf(error)}`);
      return this.#backoff();
    }
    this.#actedOn = desired.at;
    this.host.note(this.id, `${driver.driver}: ${action} (desired ${desired.state})`);
    this.host.observed(this.id, {
      state: desired.state,
      at: new Date(this.now()),
      evidence: `${driver.driver}: ${action} accepted (the driver cannot observe power)`,
    });
    return this.timing.pollMs;
  }

  async #status(driver: PowerDriver): Promise<PowerObservation> {
    try {
      return await driver.status(this.#callSignal());
    } catch (error) {
      // The interface says status never throws; a driver that does anyway must not stop the loop.
      return { state: "unknown", at: new Date(this.now()), evidence: `status failed: ${messageOf(error)}` };
    }
  }

  #callSignal(): AbortSignal {
    return AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.timing.callTimeoutMs)]);
  }

  #backoff(): number {
    this.#failures++;
    return Math.min(this.timing.pollMs * 2 ** Math.min(this.#failures - 1, 20), this.timing.maxBackoffMs);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof PowerDriverError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const iso = (ms: number) => new Date(ms).toISOString();
