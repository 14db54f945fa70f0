/**
 * Redfish's JSON shapes for power, read and written without I/O: a ComputerSystem's power state, its
 * reset action with the reset types it allows, and its boot override (DMTF DSP0268, ComputerSystem).
 */
import type { BootDevice, BootDeviceOptions, PowerAction, PowerCapabilities, PowerState } from "../driver.ts";

/** What nodin needs from a ComputerSystem resource. */
export interface RedfishSystem {
  /** The resource's path (@odata.id). */
  path: string;
  /** Redfish's PowerState as sent ("On", "Off", "PoweringOn", …), or undefined when absent. */
  powerState?: string;
  /** The reset action's target URI. */
  resetTarget?: string;
  /** ResetType@Redfish.AllowableValues; undefined when the service does not list them. */
  resetTypes?: string[];
  /** @Redfish.ActionInfo of the reset action, where the allowed values live instead on some services. */
  resetActionInfo?: string;
  boot: {
    target?: string;
    targets?: string[];
    enabled?: string;
    mode?: string;
  };
  /** @odata.etag from the body (the ETag header takes precedence; see the driver). */
  etag?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
}

/** Reads a ComputerSystem; throws a TypeError naming what is missing when it is not one. */
export function parseComputerSystem(body: unknown): RedfishSystem {
  if (!isObject(body)) throw new TypeError("ComputerSystem: not a JSON object");
  const path = stringOf(body["@odata.id"]);
  if (path === undefined) throw new TypeError("ComputerSystem: no @odata.id");
  const actions = isObject(body.Actions) ? body.Actions : {};
  const reset = isObject(actions["#ComputerSystem.Reset"]) ? actions["#ComputerSystem.Reset"] : {};
  const boot = isObject(body.Boot) ? body.Boot : {};
  return {
    path,
    powerState: stringOf(body.PowerState),
    resetTarget: stringOf(reset.target),
    resetTypes: stringsOf(reset["ResetType@Redfish.AllowableValues"]),
    resetActionInfo: stringOf(reset["@Redfish.ActionInfo"]),
    boot: {
      target: stringOf(boot.BootSourceOverrideTarget),
      targets: stringsOf(boot["BootSourceOverrideTarget@Redfish.AllowableValues"]),
      enabled: stringOf(boot.BootSourceOverrideEnabled),
      mode: stringOf(boot.BootSourceOverrideMode),
    },
    etag: stringOf(body["@odata.etag"]),
  };
}

/** The ResetType values an ActionInfo resource allows (its ResetType parameter), if it lists them. */
export function parseResetActionInfo(body: unknown): string[] | undefined {
  if (!isObject(body) || !Array.isArray(body.Parameters)) return undefined;
  const parameter = body.Parameters.find((item) => isObject(item) && item.Name === "ResetType");
  return isObject(parameter) ? stringsOf(parameter.AllowableValues) : undefined;
}

/** The first member of a collection (Systems): the system a BMC reference names when it names none. */
export function firstMember(body: unknown): string | undefined {
  if (!isObject(body) || !Array.isArray(body.Members)) return undefined;
  const first = body.Members[0];
  return isObject(first) ? stringOf(first["@odata.id"]) : undefined;
}

const POWER_STATES: Record<string, PowerState> = {
  On: "on",
  Off: "off",
  PoweringOn: "powering-on",
  PoweringOff: "powering-off",
  // A paused system still has power applied; nodin's model has no "paused".
  Paused: "on",
};

export function powerStateOf(redfish: string | undefined): PowerState {
  return redfish === undefined ? "unknown" : POWER_STATES[redfish] ?? "unknown";
}

/** The types DSP0268 defines, assumed when a service lists none. */
export const STANDARD_RESET_TYPES = [
  "On",
  "ForceOff",
  "GracefulShutdown",
  "GracefulRestart",
  "ForceRestart",
  "Nmi",
  "ForceOn",
  "PushPowerButton",
  "PowerCycle",
];

/** For each action, the reset types that do it, best first. */
const RESET_TYPES_FOR: Record<PowerAction, string[]> = {
  on: ["On", "ForceOn"],
  off: ["ForceOff"],
  "soft-off": ["GracefulShutdown"],
  // Off then on: only a service that offers it as one action; a restart keeps power applied.
  cycle: ["PowerCycle"],
  reset: ["ForceRestart", "GracefulRestart"],
};

/** The reset type that does `action` among `allowed`, or undefined when the service offers none. */
export function resetTypeFor(action: PowerAction, allowed: readonly string[]): string | undefined {
  return RESET_TYPES_FOR[action].find((type) => allowed.includes(type));
}

const BOOT_TARGETS: Record<BootDevice, string> = {
  pxe: "Pxe",
  disk: "Hdd",
  cdrom: "Cd",
  bios: "BiosSetup",
};

export function bootTargetFor(device: BootDevice): string {
  return BOOT_TARGETS[device];
}

/** What the system can do, from what it lists (the DSP0268 defaults where it lists nothing). */
export function capabilitiesOf(system: RedfishSystem, resetTypes: readonly string[]): PowerCapabilities {
  const actions = (Object.keys(RESET_TYPES_FOR) as PowerAction[]).filter((action) =>
    system.resetTarget !== undefined && resetTypeFor(action, resetTypes) !== undefined
  );
  const targets = system.boot.targets;
  const bootDevices = (Object.keys(BOOT_TARGETS) as BootDevice[]).filter((device) =>
    targets === undefined ? system.boot.target !== undefined : targets.includes(BOOT_TARGETS[device])
  );
  return { status: true, actions, bootDevices };
}

/** The PATCH body that sets the boot override; the mode only where the system shows one. */
export function bootOverridePatch(
  system: RedfishSystem,
  device: BootDevice,
  options: BootDeviceOptions,
): { Boot: Record<string, string> } {
  const boot: Record<string, string> = {
    BootSourceOverrideTarget: bootTargetFor(device),
    BootSourceOverrideEnabled: options.persistent ? "Continuous" : "Once",
  };
  if (system.boot.mode !== undefined) boot.BootSourceOverrideMode = options.uefi ? "UEFI" : "Legacy";
  return { Boot: boot };
}

/** The message of a Redfish error body (error.@Message.ExtendedInfo, else error.message), if any. */
export function redfishErrorMessage(body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const extended = body.error["@Message.ExtendedInfo"];
  if (Array.isArray(extended)) {
    const messages = extended.filter(isObject).map((info) => stringOf(info.Message)).filter((m) =>
      m !== undefined
    );
    if (messages.length > 0) return messages.join("; ");
  }
  return stringOf(body.error.message);
}
