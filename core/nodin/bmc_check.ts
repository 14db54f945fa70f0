import { FieldErrors } from "../errors/field_errors.ts";
import { InputError } from "../errors/input_error.ts";
import type { NodeRecord } from "./model.ts";
import type { BmcInput } from "./node_input.ts";
import {
  type BootDevice,
  type PowerAction,
  PowerDriverError,
  type PowerObservation,
} from "./power/driver.ts";
import type { DriverRegistry } from "./power/registry.ts";

export interface BmcCheck {
  bmc: BmcInput;
  /** status, on, off, soft-off, cycle, reset, or boot (with `bootDevice`). */
  action: string;
  bootDevice?: string;
  persistent?: boolean;
  uefi?: boolean;
}

export interface BmcCheckResult {
  observed: NodeRecord["observedPower"];
  done: string;
}

const actions = ["on", "off", "soft-off", "cycle", "reset"];

/**
 * A BMC reached directly, before a node record exists (users check a BMC before enrolling it): status, a
 * power action, or the boot device, through the driver it names, with the credential given for this call
 * only. What the driver refuses comes back as a precondition failure with its reason.
 */
export async function checkBmc(drivers: DriverRegistry, check: BmcCheck, timeoutMs = 30_000) {
  const factory = fieldCheck(() => drivers.check(check.bmc.driver, "bmc.driver"));
  if (!check.bmc.address.trim() || check.bmc.address.length > 512) {
    refuse("bmc.address", "where the BMC is: host:port, URL or URI (up to 512 characters)");
  }
  const { capabilities } = factory;
  if (check.action === "boot") {
    if (!(capabilities.bootDevices as string[]).includes(check.bootDevice ?? "")) {
      refuse(
        "boot_device",
        `the ${factory.driver} driver boots from ${capabilities.bootDevices.join(", ") || "nothing"}`,
      );
    }
  } else if (check.action !== "status" && !(capabilities.actions as string[]).includes(check.action)) {
    const known = actions.includes(check.action) ? "" : ` ("${check.action}" is no action)`;
    throw new InputError(
      "action",
      `the ${factory.driver} driver can: status, ${
        capabilities.actions.join(", ") || "nothing else"
      }${known}`,
    );
  }
  const driver = factory.create(
    { driver: check.bmc.driver, address: check.bmc.address, options: check.bmc.options },
    check.bmc.credential,
  );
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let done = "";
    if (check.action === "boot") {
      const options = { persistent: check.persistent ?? false, uefi: check.uefi ?? false };
      await driver.setBootDevice!(check.bootDevice as BootDevice, options, signal);
      done = `boot device ${check.bootDevice} set`;
    } else if (check.action !== "status") {
      await driver.act(check.action as PowerAction, signal);
      done = `${check.action} asked`;
    }
    const seen: PowerObservation = await driver.status(signal);
    return { observed: { state: seen.state, at: seen.at.getTime(), evidence: seen.evidence }, done };
  } catch (error) {
    const reason = error instanceof PowerDriverError ? `${error.kind}: ${error.message}` : String(error);
    throw new InputError("bmc", `the BMC refused: ${reason}`, "precondition");
  } finally {
    await driver.close?.().catch(() => {});
  }
}

/** A refused field, as a field violation so the page shows it beside its input. */
function refuse(field: string, message: string): never {
  throw new FieldErrors([{ field, message }]);
}

function fieldCheck<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InputError) refuse(error.field, error.reason);
    throw error;
  }
}
