import { assertEquals, assertStrictEquals, assertThrows } from "../../../testing/assert.ts";
import {
  bootOverridePatch,
  capabilitiesOf,
  firstMember,
  parseComputerSystem,
  parseResetActionInfo,
  powerStateOf,
  redfishErrorMessage,
  resetTypeFor,
  STANDARD_RESET_TYPES,
} from "./codec.ts";

const MOCKUP = new URL("./testdata/public-rackmount1/", import.meta.url);

function mockup(path: string): unknown {
  return JSON.parse(Deno.readTextFileSync(new URL(`${path}/index.json`, MOCKUP)));
}

Deno.test("redfish codec: DMTF's rack-mount ComputerSystem reads as power on, its reset action and boot override", () => {
  const system = parseComputerSystem(mockup("Systems/437XR1138R2"));
  assertStrictEquals(system.path, "/redfish/v1/Systems/437XR1138R2");
  assertStrictEquals(system.powerState, "On");
  assertStrictEquals(system.resetTarget, "/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset");
  assertEquals(system.resetTypes, [
    "On",
    "ForceOff",
    "GracefulShutdown",
    "GracefulRestart",
    "ForceRestart",
    "Nmi",
    "ForceOn",
    "PushPowerButton",
  ]);
  assertEquals(system.boot, {
    target: "Pxe",
    targets: ["None", "Pxe", "Cd", "Usb", "Hdd", "BiosSetup", "Utilities", "Diags", "SDCard", "UefiTarget"],
    enabled: "Once",
    mode: "UEFI",
  });
  assertStrictEquals(firstMember(mockup("Systems")), "/redfish/v1/Systems/437XR1138R2");
});

Deno.test("redfish codec: capabilities come from the system's allowed values (no PowerCycle: no cycle)", () => {
  const system = parseComputerSystem(mockup("Systems/437XR1138R2"));
  assertEquals(capabilitiesOf(system, system.resetTypes!), {
    status: true,
    actions: ["on", "off", "soft-off", "reset"],
    bootDevices: ["pxe", "disk", "cdrom", "bios"],
  });
  // A service that lists nothing gets DSP0268's list, PowerCycle included.
  assertEquals(capabilitiesOf(system, STANDARD_RESET_TYPES).actions, [
    "on",
    "off",
    "soft-off",
    "cycle",
    "reset",
  ]);
  const noReset = parseComputerSystem({ "@odata.id": "/redfish/v1/Systems/1", PowerState: "Off" });
  assertEquals(capabilitiesOf(noReset, STANDARD_RESET_TYPES), { status: true, actions: [], bootDevices: [] });
});

Deno.test("redfish codec: each action maps to the best reset type the system allows", () => {
  const only = ["ForceOn", "GracefulRestart", "PowerCycle"];
  assertStrictEquals(resetTypeFor("on", STANDARD_RESET_TYPES), "On");
  assertStrictEquals(resetTypeFor("on", only), "ForceOn");
  assertStrictEquals(resetTypeFor("off", STANDARD_RESET_TYPES), "ForceOff");
  assertStrictEquals(resetTypeFor("soft-off", STANDARD_RESET_TYPES), "GracefulShutdown");
  assertStrictEquals(resetTypeFor("reset", STANDARD_RESET_TYPES), "ForceRestart");
  assertStrictEquals(resetTypeFor("reset", only), "GracefulRestart");
  assertStrictEquals(resetTypeFor("cycle", only), "PowerCycle");
  assertStrictEquals(resetTypeFor("off", only), undefined);
});

Deno.test("redfish codec: power states", () => {
  assertStrictEquals(powerStateOf("On"), "on");
  assertStrictEquals(powerStateOf("Off"), "off");
  assertStrictEquals(powerStateOf("PoweringOn"), "powering-on");
  assertStrictEquals(powerStateOf("PoweringOff"), "powering-off");
  assertStrictEquals(powerStateOf("Paused"), "on");
  assertStrictEquals(powerStateOf("Exploded"), "unknown");
  assertStrictEquals(powerStateOf(undefined), "unknown");
});

Deno.test("redfish codec: boot override PATCH bodies (mode only where the system has one)", () => {
  const system = parseComputerSystem(mockup("Systems/437XR1138R2"));
  assertEquals(bootOverridePatch(system, "pxe", { persistent: false, uefi: true }), {
    Boot: {
      BootSourceOverrideTarget: "Pxe",
      BootSourceOverrideEnabled: "Once",
      BootSourceOverrideMode: "UEFI",
    },
  });
  assertEquals(bootOverridePatch(system, "disk", { persistent: true, uefi: false }), {
    Boot: {
      BootSourceOverrideTarget: "Hdd",
      BootSourceOverrideEnabled: "Continuous",
      BootSourceOverrideMode: "Legacy",
    },
  });
  const noMode = parseComputerSystem({ "@odata.id": "/s", Boot: { BootSourceOverrideTarget: "None" } });
  assertEquals(bootOverridePatch(noMode, "cdrom", { persistent: false, uefi: true }), {
    Boot: { BootSourceOverrideTarget: "Cd", BootSourceOverrideEnabled: "Once" },
  });
  assertEquals(
    bootOverridePatch(noMode, "bios", { persistent: false, uefi: false }).Boot.BootSourceOverrideTarget,
    "BiosSetup",
  );
});

Deno.test("redfish codec: ActionInfo, error bodies, and what is not a ComputerSystem", () => {
  assertEquals(
    parseResetActionInfo({
      Parameters: [{ Name: "Other" }, { Name: "ResetType", AllowableValues: ["On", "ForceOff"] }],
    }),
    ["On", "ForceOff"],
  );
  assertStrictEquals(parseResetActionInfo({ Parameters: [{ Name: "ResetType" }] }), undefined);
  assertStrictEquals(
    redfishErrorMessage({
      error: {
        code: "x",
        message: "general",
        "@Message.ExtendedInfo": [{ Message: "specific" }, { Message: "more" }],
      },
    }),
    "specific; more",
  );
  assertStrictEquals(redfishErrorMessage({ error: { message: "general" } }), "general");
  assertStrictEquals(redfishErrorMessage({ PowerState: "On" }), undefined);
  assertThrows(() => parseComputerSystem([]), TypeError);
  assertThrows(() => parseComputerSystem({ PowerState: "On" }), /no @odata.id/);
  // Wrong types are ignored, not trusted.
  const odd = parseComputerSystem({
    "@odata.id": "/s",
    PowerState: 1,
    Boot: { BootSourceOverrideTarget: ["Pxe"] },
  });
  assertStrictEquals(odd.powerState, undefined);
  assertStrictEquals(odd.boot.target, undefined);
});
