// The plans' units read by systemd's own checker: every key known, the commands executable (k3s's path
// is the stand-in's here, the only change to the unit), the dependencies resolvable.
import { withPrivateRunSystemd } from "../../core/testing/private_run_systemd.ts";
import { parseK3sInventory } from "../../core/deploy/k3s/inventory.ts";
import { buildK3sPlan } from "../../core/deploy/k3s/plan.ts";
import { highlyAvailable } from "../../core/deploy/k3s/testing.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { K3S_STANDIN } from "./support/k3s_standin.ts";

const haveAnalyze =
  new Deno.Command("sh", { args: ["-c", "command -v systemd-analyze"] }).outputSync().success;

Deno.test({
  name: "k3s units: systemd-analyze verify finds nothing to say about the server's and the agent's unit",
  ignore: !haveAnalyze && !Deno.env.get("CI"),
  async fn() {
    const plan = buildK3sPlan(parseK3sInventory(highlyAvailable()));
    const dir = await Deno.makeTempDir({ prefix: "k3s-unit-" });
    try {
      for (const name of ["s1", "a1"]) {
        const host = plan.hosts.find((candidate) => candidate.host === name)!;
        const path = `${dir}/${host.unit.name}`;
        assert(host.unit.text.includes("ExecStart=/usr/local/bin/k3s "));
        await Deno.writeTextFile(
          path,
          host.unit.text.replace("ExecStart=/usr/local/bin/k3s ", `ExecStart=${K3S_STANDIN} `),
        );
        const [command, ...args] = withPrivateRunSystemd(["systemd-analyze", "verify", path]);
        const output = await new Deno.Command(command, {
          args,
          cwd: dir,
          signal: AbortSignal.timeout(30_000),
        }).output();
        const said = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
        assertEquals([output.code, said], [0, ""], `${host.unit.name}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
