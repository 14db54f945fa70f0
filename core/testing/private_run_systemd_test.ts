import { assertEquals } from "./assert.ts";
import { withPrivateRunSystemd } from "./private_run_systemd.ts";

const isRoot = Deno.uid() === 0;

Deno.test({
  name: "[root] withPrivateRunSystemd: what the command writes under /run/systemd stays in its own tmpfs",
  ignore: !isRoot,
  async fn() {
    const name = `ctpf-private-run-${crypto.randomUUID()}`;
    const [command, ...args] = withPrivateRunSystemd([
      "sh",
      "-c",
      `touch /run/systemd/${name} && ls /run/systemd`,
    ]);
    const output = await new Deno.Command(command, { args, signal: AbortSignal.timeout(10_000) }).output();
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
    // Inside: only what the command made (a fresh tmpfs); outside: nothing of it.
    assertEquals(new TextDecoder().decode(output.stdout).trim(), name);
    assertEquals(await Deno.stat(`/run/systemd/${name}`).then(() => true, () => false), false);
  },
});
