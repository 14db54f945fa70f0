import { InputError } from "../errors/input_error.ts";
import type { NodinMetrics } from "./metrics.ts";
import type { NodeRecord } from "./model.ts";
import type { BootDevice, PowerAction } from "./power/driver.ts";
import { PowerDriverError } from "./power/driver.ts";
import { PowerLoop } from "./power/loop.ts";
import type { DriverRegistry } from "./power/registry.ts";
import { defaultPowerTiming, type PowerTiming } from "./power/worker.ts";
import type { CredentialFiles } from "./secrets.ts";

/** What NodePower needs of Nodin (kept narrow so the two do not reach into each other). */
export interface PoweredNodes {
  get(id: string): NodeRecord | undefined;
  require(id: string): NodeRecord;
  setDesiredPower(id: string, state: "on" | "off", offMode: "soft" | "hard", actor: string): NodeRecord;
  observePower(id: string, state: NodeRecord["observedPower"]): void;
  note(id: string, kind: "power" | "boot", message: string, actor: string): void;
}

export type PowerRequest = "on" | "off" | "soft-off" | "cycle";

/**
 * The nodes' power: the desired-state loop (one worker per node with a BMC) and the requests the API
 * makes of it, checked against what the node's driver can do.
 */
export class NodePower {
  readonly #loop: PowerLoop;
  readonly #nodes: PoweredNodes;
  readonly #drivers: DriverRegistry;
  readonly #credentials: CredentialFiles;

  constructor(options: {
    nodes: PoweredNodes;
    drivers: DriverRegistry;
    credentials: CredentialFiles;
    timing?: Partial<PowerTiming>;
    /** Counts the loop's polls and actions. */
    metrics: NodinMetrics;
  }) {
    this.#nodes = options.nodes;
    this.#drivers = options.drivers;
    this.#credentials = options.credentials;
    const nodes = options.nodes;
    this.#loop = new PowerLoop({
      target(id) {
        const node = nodes.get(id);
        return node?.bmc ? { bmc: node.bmc, desired: node.desiredPower } : undefined;
      },
      driver: (bmc) =>
        options.metrics.counted(
          this.#drivers.create(bmc, bmc.credentialRef ? this.#credentials.get(bmc.credentialRef) : undefined),
        ),
      observed(id, observation) {
        nodes.observePower(id, {
          state: observation.state,
          at: observation.at.getTime(),
          evidence: observation.evidence,
        });
      },
      note: (id, message) => nodes.note(id, "power", message, "power loop"),
    }, { ...defaultPowerTiming, ...options.timing });
  }

  start(ids: string[]): void {
    this.#loop.start(ids);
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  sync(id: string): void {
    this.#loop.sync(id);
  }

  get workers(): number {
    return this.#loop.size;
  }

  /** on / off (hard) / soft-off / cycle, refused when the node's driver cannot do it. */
  request(id: string, request: PowerRequest, actor: string): NodeRecord {
    const node = this.#nodes.require(id);
    const factory = this.#factoryOf(node);
    const needed: PowerAction = request;
    const { actions } = factory.capabilities;
    // A cycle without a "cycle" action is off then on; "off" is the fallback for soft-off only when asked.
    const possible = request === "cycle"
      ? actions.includes("cycle") || actions.includes("off")
      : actions.includes(needed);
    if (!possible) {
      throw new InputError(
        "action",
        `the ${factory.driver} driver cannot ${request} (it can: ${actions.join(", ") || "nothing"})`,
        "precondition",
      );
    }
    if (request === "on" || request === "cycle") {
      const updated = this.#nodes.setDesiredPower(id, "on", node.desiredPower.offMode, actor);
      if (request === "cycle") this.#loop.cycle(id);
      return updated;
    }
    return this.#nodes.setDesiredPower(id, "off", request === "soft-off" ? "soft" : "hard", actor);
  }

  /** Sets the next (or every) boot's device through the node's driver, now. */
  async setBootDevice(
    id: string,
    device: string,
    options: { persistent: boolean; uefi: boolean },
    actor: string,
  ): Promise<void> {
    const node = this.#nodes.require(id);
    const factory = this.#factoryOf(node);
    if (!(factory.capabilities.bootDevices as string[]).includes(device)) {
      throw new InputError(
        "device",
        `the ${factory.driver} driver cannot boot from "${device}" (it can: ${
          factory.capabilities.bootDevices.join(", ") || "none"
        })`,
        "precondition",
      );
    }
    const driver = this.#drivers.create(
      node.bmc!,
      node.bmc!.credentialRef ? this.#credentials.get(node.bmc!.credentialRef) : undefined,
    );
    try {
      if (!driver.setBootDevice) throw new PowerDriverError("unsupported", "this driver sets no boot device");
      await driver.setBootDevice(device as BootDevice, options, AbortSignal.timeout(30_000));
    } catch (error) {
      const reason = error instanceof PowerDriverError ? `${error.kind}: ${error.message}` : String(error);
      this.#nodes.note(id, "boot", `boot device ${device} refused: ${reason}`, actor);
      throw new InputError("bmc", `the BMC did not set the boot device: ${reason}`, "precondition");
    } finally {
      await driver.close?.().catch(() => {});
    }
    const how = [options.persistent ? "every boot" : "next boot", options.uefi ? "UEFI" : ""].filter(Boolean);
    this.#nodes.note(id, "boot", `boot device ${device} (${how.join(", ")}) set by ${actor}`, actor);
  }

  #factoryOf(node: NodeRecord) {
    if (!node.bmc) {
      throw new InputError(
        "id",
        `node ${node.name} has no BMC reference: set one to manage its power`,
        "precondition",
      );
    }
    return this.#drivers.check(node.bmc.driver, "bmc.driver");
  }
}
