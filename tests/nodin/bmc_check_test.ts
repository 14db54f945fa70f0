/**
 * CheckBmc through NodinService (the real handlers, in process): a BMC checked and acted on before any
 * node record exists, against python3-pyghmi's BMC in a namespace the test makes; ipmitool observes the
 * same state. The credential is used for the call only (stored only when asked) and never echoed.
 */
import { toJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { CheckBmcResponseSchema } from "../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { ipmiDriverFactory } from "../../core/nodin/power/ipmi/mod.ts";
import { DriverRegistry } from "../../core/nodin/power/registry.ts";
import { type Netns, rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";
import { BMC_ADDRESS, bmcLab, FAKEBMC, listening } from "./support/bmc_lab.ts";
import { withCloudNodin } from "./support/cloud_nodin.ts";

const bmcOf = (console: Netns, password: string) => ({
  driver: "ipmi",
  address: `${BMC_ADDRESS}:623`,
  options: { netns: console.name, timeoutMs: "1000" },
  credential: { username: "admin", password },
});

async function ipmitoolPower(console: Netns): Promise<string> {
  const args = ["-I", "lanplus", "-C", "3", "-H", BMC_ADDRESS, "-U", "admin", "-P", "password"];
  const result = await console.run(["ipmitool", ...args, "power", "status"], { timeoutMs: 20_000 });
  return result.stdout.trim();
}

async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  return ConnectError.from(await assertRejects(() => call));
}

rootTest({
  name:
    "nodin CheckBmc: pyghmi's BMC powered and booted before any node exists; ipmitool agrees; nothing kept",
  tools: ["ipmitool", "ss"],
  fn: async () => {
    await withLab(async (lab) => {
      const { console, bmc } = await bmcLab(lab);
      const fake = bmc.spawn(["/usr/bin/python3", "-u", FAKEBMC, "--port", "623"]);
      await listening(bmc, 623, () => fake.output());
      await withCloudNodin(async ({ client, credentialDir }) => {
        const good = bmcOf(console, "password");
        const on = await client.checkBmc({ bmc: good, action: "on" });
        assertEquals(on.done, "on asked");
        assertMatch(on.observed!.evidence, /Get Chassis Status from 10\.77\.0\.2:623/);
        assertStrictEquals(await ipmitoolPower(console), "Chassis Power is on");
        const status = await client.checkBmc({ bmc: good, action: "status" });
        assertEquals([status.observed?.state, status.done], ["on", ""]);

        const off = await client.checkBmc({ bmc: good, action: "off" });
        assertEquals(off.observed?.state, "off");
        assertStrictEquals(await ipmitoolPower(console), "Chassis Power is off");
        const boot = await client.checkBmc({ bmc: good, action: "boot", bootDevice: "pxe" });
        assertEquals(boot.done, "boot device pxe set");

        // A wrong password: status is unknown with the BMC's reason; an action is refused, by kind.
        const wrong = bmcOf(console, "not-the-password");
        const unknown = await client.checkBmc({
          bmc: wrong,
          action: "status",
          storeCredentialRef: "bmc-wrong",
        });
        assertEquals(unknown.observed?.state, "unknown");
        assertMatch(unknown.observed!.evidence, /auth: RAKP 2 integrity check failed/);
        const refused = await refusal(client.checkBmc({ bmc: wrong, action: "on" }));
        assertEquals(Code[refused.code], Code[Code.FailedPrecondition]);
        assertMatch(refused.rawMessage, /the BMC refused: auth: /);
        assertStrictEquals(await ipmitoolPower(console), "Chassis Power is off");

        // Nothing was kept: no node, no credential file (the wrong one was not stored though asked).
        assertEquals((await client.listInventory({})).nodes, []);
        assertEquals([...Deno.readDirSync(credentialDir)], []);
        // Stored only when asked, 0600, and never in the answer.
        const stored = await client.checkBmc({ bmc: good, action: "status", storeCredentialRef: "bmc-1" });
        assert(!toJsonString(CheckBmcResponseSchema, stored).includes("password"), "credential not echoed");
        assertStrictEquals(Deno.statSync(`${credentialDir}/bmc-1.json`).mode! & 0o777, 0o600);
      }, new DriverRegistry([ipmiDriverFactory]));
    });
  },
});

Deno.test("nodin CheckBmc: a driver this binary does not have, an action it cannot take, a path as reference", async () => {
  await withCloudNodin(async ({ client }) => {
    const bmc = { driver: "redfish", address: "10.0.0.1", credential: { password: "x" } };
    const unknown = await refusal(client.checkBmc({ bmc, action: "status" }));
    assertEquals(Code[unknown.code], Code[Code.InvalidArgument]);
    assertMatch(unknown.rawMessage, /bmc.driver: no power driver "redfish" \(known: cloud, ipmi\)/);
    const ipmi = { ...bmc, driver: "ipmi" };
    const cannot = await refusal(client.checkBmc({ bmc: ipmi, action: "explode" }));
    assertMatch(cannot.rawMessage, /action: the ipmi driver can: status, .*\("explode" is no action\)/);
    const noBoot = await refusal(client.checkBmc({ bmc: ipmi, action: "boot", bootDevice: "floppy" }));
    assertMatch(noBoot.rawMessage, /boot_device: the ipmi driver boots from pxe/);
    const path = await refusal(client.checkBmc({ bmc: ipmi, action: "status", storeCredentialRef: "../x" }));
    assertMatch(path.rawMessage, /store_credential_ref: a credential reference is 1-64 letters/);
  }, new DriverRegistry([ipmiDriverFactory]));
});
