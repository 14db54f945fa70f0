// Against a real k3s, when K3S_BINARY names one (k3s cannot be obtained here, so it is reported ignored
// otherwise): its version line is the one the plan's version check expects, and every option the plans
// put in config.yaml is a flag of `k3s server` or `k3s agent`, so k3s would not stop at an unknown key.
import { parseK3sInventory } from "../../core/deploy/k3s/inventory.ts";
import { buildK3sPlan } from "../../core/deploy/k3s/plan.ts";
import { highlyAvailable } from "../../core/deploy/k3s/testing.ts";
import { assert, assertMatch } from "../support/assert.ts";

const k3sBinary = Deno.env.get("K3S_BINARY") || undefined;

function isExecutableFile(path: string | undefined): boolean {
  if (!path) return false;
  try {
    const info = Deno.statSync(path);
    return info.isFile && (info.mode! & 0o111) !== 0;
  } catch {
    return false;
  }
}

const ignore = !isExecutableFile(k3sBinary);

async function k3s(...args: string[]): Promise<string> {
  const output = await new Deno.Command(k3sBinary!, { args, signal: AbortSignal.timeout(60_000) }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert(output.success, `k3s ${args.join(" ")} failed:\n${text}`);
  return text;
}

Deno.test({
  name: "real k3s (K3S_BINARY): its --version line is what the plan's version check expects",
  ignore,
  async fn() {
    const line = (await k3s("--version")).split("\n")[0];
    assertMatch(line, /^k3s version v\d+\.\d+\.\d+(-rc\d+)?\+k3s\d+ /);
    const version = line.split(" ")[2];
    const plan = buildK3sPlan(parseK3sInventory(highlyAvailable({ version })));
    for (const host of plan.hosts) assert(line.startsWith(host.versionCheck!.expect + " "), line);
  },
});

Deno.test({
  name: "real k3s (K3S_BINARY): every config.yaml option the plans write is one of its flags",
  ignore,
  async fn() {
    const plan = buildK3sPlan(parseK3sInventory(highlyAvailable()));
    const help = { server: await k3s("server", "--help"), agent: await k3s("agent", "--help") };
    for (const host of plan.hosts) {
      const config = host.files.find((file) => file.path === "/etc/rancher/k3s/config.yaml")!;
      assert(config.content.kind === "text");
      const keys = [...config.content.text.matchAll(/^([a-z][a-z0-9-]*):/gm)].map((match) => match[1]);
      assert(keys.length >= 5, `${host.host}: options found`);
      for (const key of keys) {
        assert(
          new RegExp(`--${key}\\b`).test(help[host.role]),
          `${host.host}: k3s ${host.role} has no --${key}`,
        );
      }
    }
  },
});
