import { assertEquals } from "../../testing/assert.ts";
import { activationCommands } from "./activation.ts";
import { parseK3sInventory } from "./inventory.ts";
import { buildK3sPlan } from "./plan.ts";
import { highlyAvailable } from "./testing.ts";

const agent = buildK3sPlan(parseK3sInventory(highlyAvailable())).hosts.find((host) => host.host === "a1")!;
const run = (unit: boolean, any: boolean) =>
  activationCommands(agent, { unit, any }).map((
    command,
  ) => [command.argv.join(" "), command.unless?.join(" ")]);

Deno.test("k3s activation: a new host reloads, enables and (re)starts", () => {
  assertEquals(run(true, true), [
    ["systemctl daemon-reload", undefined],
    ["systemctl enable k3s-agent.service", "systemctl is-enabled --quiet k3s-agent.service"],
    ["systemctl restart k3s-agent.service", undefined],
  ]);
});

Deno.test("k3s activation: a changed config or binary restarts without a reload", () => {
  assertEquals(run(false, true), [
    ["systemctl enable k3s-agent.service", "systemctl is-enabled --quiet k3s-agent.service"],
    ["systemctl restart k3s-agent.service", undefined],
  ]);
});

Deno.test("k3s activation: with nothing changed only checks run, and a stopped k3s is started", () => {
  assertEquals(run(false, false), [
    ["systemctl enable k3s-agent.service", "systemctl is-enabled --quiet k3s-agent.service"],
    ["systemctl start k3s-agent.service", "systemctl is-active --quiet k3s-agent.service"],
  ]);
});
