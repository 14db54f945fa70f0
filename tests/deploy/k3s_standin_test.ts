// The k3s plans carried out on directories standing for hosts, with the k3s stand-in as the air-gap
// binary: what each node would run (its argv with config.yaml's options), its config and its token are
// checked through what the stand-in recorded. No SSH and no systemd here: the unit's ExecStart is run
// directly with K3S_STANDIN_ROOT pointing at the host's directory.
import { createHash } from "node:crypto";
import { parseK3sInventory } from "../../core/deploy/k3s/inventory.ts";
import type { K3sInventoryInput } from "../../core/deploy/k3s/inventory.ts";
import { rewriteKubeconfig } from "../../core/deploy/k3s/kubeconfig.ts";
import { buildK3sPlan } from "../../core/deploy/k3s/plan.ts";
import type { K3sHostPlan } from "../../core/deploy/k3s/plan_types.ts";
import { highlyAvailable } from "../../core/deploy/k3s/testing.ts";
import { ensureClusterToken } from "../../core/deploy/k3s/token.ts";
import { waitFor, withTimeout } from "../harness/wait.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { applyUnderRoot, execStartUnder } from "./support/apply_under_root.ts";
import {
  K3S_STANDIN,
  type StandinRecord,
  standinRecordPath,
  standinWithVersion,
} from "./support/k3s_standin.ts";

const STANDIN = K3S_STANDIN;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function withLab(
  fn: (dir: string, inventory: (over?: K3sInventoryInput) => K3sInventoryInput) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "k3s-standin-" });
  try {
    await ensureClusterToken(`${dir}/controller/lab.token`);
    await Deno.writeTextFile(`${dir}/controller/k3s-airgap-images-amd64.tar.zst`, "images for amd64");
    await Deno.writeTextFile(`${dir}/controller/k3s-airgap-images-arm64.tar.zst`, "images for arm64");
    const inventory = (over: K3sInventoryInput = {}) =>
      highlyAvailable({
        tokenFile: `${dir}/controller/lab.token`,
        airgap: {
          x86_64: { binary: STANDIN, images: `${dir}/controller/k3s-airgap-images-amd64.tar.zst` },
          aarch64: { binary: STANDIN, images: `${dir}/controller/k3s-airgap-images-arm64.tar.zst` },
        },
        ...over,
      });
    await fn(dir, inventory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

interface RunningNode {
  record: StandinRecord;
  stop(): Promise<Deno.CommandStatus>;
}

function spawnStandin(root: string, argv: string[], env: Record<string, string> = {}): Deno.ChildProcess {
  return new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", K3S_STANDIN_ROOT: root, ...env },
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

async function readRecord(root: string, role: "server" | "agent"): Promise<StandinRecord | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(`${root}${standinRecordPath(role)}`));
  } catch {
    return undefined;
  }
}

/** Starts the host's unit command as systemd would and waits until the stand-in has recorded its start. */
async function startNode(
  root: string,
  plan: K3sHostPlan,
  env: Record<string, string> = {},
): Promise<RunningNode> {
  await Deno.remove(`${root}/var/lib/k3s-standin/${plan.role}.json`).catch(() => {});
  const child = spawnStandin(root, execStartUnder(root, plan.unit.text), env);
  // The record appears once the stand-in is up (a server's kubeconfig written, SIGTERM handled).
  const record = await waitFor(() => readRecord(root, plan.role), {
    timeoutMs: 10_000,
    what: `${plan.host}'s stand-in to start`,
  });
  assertEquals(record.pid, child.pid, `${plan.host}: the process the unit started is the one that recorded`);
  return {
    record,
    async stop() {
      child.kill("SIGTERM");
      const output = await withTimeout(child.output(), 5_000, `${plan.host}'s stand-in to stop on SIGTERM`);
      return output;
    },
  };
}

Deno.test("k3s stand-in: --version prints k3s's version line", async () => {
  const output = await new Deno.Command(STANDIN, { args: ["--version"] }).output();
  assert(output.success);
  assertEquals(
    new TextDecoder().decode(output.stdout),
    "k3s version v1.31.4+k3s1 (k3s-standin)\ngo version go1.22.9 (k3s-standin)\n",
  );
});

Deno.test("k3s stand-in: three servers and two agents run with the planned invocation, config and token", async () => {
  await withLab(async (dir, inventory) => {
    const plan = buildK3sPlan(
      parseK3sInventory(
        inventory({ serverArgs: ["--disable=traefik", String.raw`--node-label=note=say "hi" \ bye`] }),
      ),
    );
    const token = (await Deno.readTextFile(`${dir}/controller/lab.token`)).trim();
    const nodes: RunningNode[] = [];
    try {
      for (const stage of plan.stages) {
        await Promise.all(stage.map(async (name) => {
          const host = plan.hosts.find((candidate) => candidate.host === name)!;
          const root = `${dir}/hosts/${name}`;
          await applyUnderRoot(root, host);
          const node = await startNode(root, host);
          nodes.push(node);
          const { record } = node;
          const config = host.files.find((file) => file.path === "/etc/rancher/k3s/config.yaml")!;
          assert(config.content.kind === "text");
          assertEquals(record.argv, [host.role], `${name}: the unit passes no option`);
          assertEquals(record.effectiveArgs, host.invocation.slice(1), `${name}: the invocation`);
          assertEquals(record.config + "\n", config.content.text, `${name}: config.yaml`);
          assertEquals(record.configFile, "/etc/rancher/k3s/config.yaml");
          assertEquals(
            [record.tokenFile, record.tokenFileMode, record.tokenSource, record.tokenSha256],
            ["/etc/rancher/k3s/cluster-token", "600", "config", sha256(token)],
            `${name}: the token`,
          );
          assertEquals(record.env, {}, `${name}: no K3S_ variables`);
          assertEquals(record.server, host.first ? null : "https://10.200.0.1:6443");
          assertEquals(record.error, null);
          const images = `${root}/var/lib/rancher/k3s/agent/images/k3s-airgap-images-${
            host.arch === "x86_64" ? "amd64" : "arm64"
          }.tar.zst`;
          assertEquals(
            await Deno.readTextFile(images),
            `images for ${host.arch === "x86_64" ? "amd64" : "arm64"}`,
          );
          const version = await new Deno.Command(`${root}/usr/local/bin/k3s`, { args: ["--version"] })
            .output();
          assertMatch(
            new TextDecoder().decode(version.stdout),
            new RegExp(`^${host.versionCheck!.expect.replace("+", "\\+")} `),
          );
        }));
      }
      assertEquals(plan.hosts.find((host) => host.host === "s3")!.invocation.slice(1, 9), [
        "server",
        "--server",
        "https://10.200.0.1:6443",
        "--token-file",
        "/etc/rancher/k3s/cluster-token",
        "--node-name",
        "s3",
        "--node-ip",
      ]);
      // The kubeconfig the first server wrote, fetched and rewritten for the workstation.
      const kubeconfig = await Deno.readTextFile(`${dir}/hosts/s1${plan.kubeconfig.path}`);
      assertEquals((await Deno.stat(`${dir}/hosts/s1${plan.kubeconfig.path}`)).mode! & 0o777, 0o600);
      const rewritten = rewriteKubeconfig(kubeconfig, plan.kubeconfig);
      assert(rewritten.includes("\n    server: https://10.200.0.1:6443\n"));
      assertMatch(rewritten, /\ncurrent-context: lab\n/);
    } finally {
      for (const node of nodes) {
        const stopped = await node.stop();
        assertEquals(stopped.code, 0, "the stand-in ends cleanly on SIGTERM, as k3s under systemd");
      }
    }
  });
});

Deno.test("k3s stand-in: a second apply changes nothing; an upgrade replaces the binary and keeps the token", async () => {
  await withLab(async (dir, inventory) => {
    const root = `${dir}/hosts/s1`;
    const before = buildK3sPlan(parseK3sInventory(inventory())).hosts[0];
    assert((await applyUnderRoot(root, before)).every((file) => file.changed), "a new host: all written");
    assertEquals((await applyUnderRoot(root, before)).filter((file) => file.changed), []);
    const first = await startNode(root, before);
    assertEquals((await first.stop()).code, 0);

    // The new release, as the user would supply it for an air-gapped upgrade.
    const upgraded = `${dir}/controller/k3s-v1.32.1`;
    await Deno.writeTextFile(upgraded, await standinWithVersion("v1.32.1+k3s1"), { mode: 0o755 });
    const after = buildK3sPlan(parseK3sInventory(inventory({
      version: "v1.32.1+k3s1",
      airgap: {
        x86_64: { binary: upgraded, images: `${dir}/controller/k3s-airgap-images-amd64.tar.zst` },
        aarch64: { binary: upgraded, images: `${dir}/controller/k3s-airgap-images-arm64.tar.zst` },
      },
    }))).hosts[0];
    assertEquals(
      (await applyUnderRoot(root, after)).filter((file) => file.changed).map((file) => file.path),
      [
        "/usr/local/bin/k3s",
      ],
    );
    const second = await startNode(root, after);
    try {
      assertEquals(second.record.version, "v1.32.1+k3s1");
      assertEquals(second.record.tokenSha256, first.record.tokenSha256, "the cluster token is the same");
      assertEquals(second.record.effectiveArgs, first.record.effectiveArgs);
      const version = await new Deno.Command(`${root}/usr/local/bin/k3s`, { args: ["--version"] }).output();
      assert(new TextDecoder().decode(version.stdout).startsWith(after.versionCheck!.expect + " "));
    } finally {
      assertEquals((await second.stop()).code, 0);
    }
    const runs = (await Deno.readTextFile(`${root}/var/lib/k3s-standin/runs.jsonl`)).trim().split("\n");
    assertEquals(runs.map((line) => JSON.parse(line).version), ["v1.31.4+k3s1", "v1.32.1+k3s1"]);
  });
});

Deno.test("k3s stand-in: an agent whose token file cannot be read fails as k3s does", async () => {
  await withLab(async (dir, inventory) => {
    const root = `${dir}/hosts/a1`;
    const agent = buildK3sPlan(parseK3sInventory(inventory())).hosts.find((host) => host.host === "a1")!;
    await applyUnderRoot(root, agent);
    await Deno.remove(`${root}/etc/rancher/k3s/cluster-token`);
    const child = spawnStandin(root, execStartUnder(root, agent.unit.text));
    const output = await withTimeout(child.output(), 5_000, "the stand-in to refuse");
    assertEquals(output.code, 1);
    assertEquals(
      new TextDecoder().decode(output.stderr),
      "k3s-standin: token file /etc/rancher/k3s/cluster-token cannot be read\n",
    );
    assertEquals(
      (await readRecord(root, "agent"))?.error,
      "token file /etc/rancher/k3s/cluster-token cannot be read",
    );
  });
});

const haveSocat = new Deno.Command("sh", { args: ["-c", "command -v socat"] }).outputSync().success;

Deno.test({
  name:
    "k3s stand-in: once recorded it tells systemd it is ready (NOTIFY_SOCKET) as the process systemd started",
  ignore: !haveSocat && !Deno.env.get("CI"),
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "k3s-standin-" });
    // socat receives the datagrams on the socket systemd would hold for a Type=notify unit.
    const socket = `${root}/notify`;
    const systemd = new Deno.Command("socat", {
      args: ["-u", `UNIX-RECV:${socket}`, "STDOUT"],
      stdout: "piped",
    })
      .spawn();
    const reader = systemd.stdout.getReader();
    try {
      await waitFor(() => Deno.stat(socket).then(() => true, () => false), { what: "socat's socket" });
      const child = spawnStandin(root, [STANDIN, "server", "--cluster-init"], { NOTIFY_SOCKET: socket });
      try {
        const { value } = await withTimeout(reader.read(), 10_000, "the stand-in's readiness message");
        assertMatch(new TextDecoder().decode(value), /^READY=1\n/);
        const record = await readRecord(root, "server");
        assertEquals(record?.pid, child.pid, "recorded and notified by the PID systemd started");
      } finally {
        child.kill("SIGTERM");
        assertEquals((await withTimeout(child.output(), 5_000, "the stand-in to stop")).code, 0);
      }
    } finally {
      await reader.cancel();
      systemd.kill("SIGTERM");
      await systemd.status;
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("k3s stand-in: a token on the command line or in K3S_TOKEN is recorded only as its hash", async () => {
  const root = await Deno.makeTempDir({ prefix: "k3s-standin-" });
  try {
    const child = spawnStandin(root, [
      STANDIN,
      "agent",
      "--server",
      "https://10.200.0.1:6443",
      "--token",
      "argv-secret-1",
    ], {
      K3S_TOKEN: "env-secret-2",
      K3S_NODE_NAME: "a9",
    });
    try {
      const record = await waitFor(() => readRecord(root, "agent"), { what: "the stand-in's record" });
      assertEquals(record.argv, [
        "agent",
        "--server",
        "https://10.200.0.1:6443",
        "--token",
        `sha256:${sha256("argv-secret-1")}`,
      ]);
      assertEquals(record.env, { K3S_NODE_NAME: "a9", K3S_TOKEN: `sha256:${sha256("env-secret-2")}` });
      assertEquals([record.tokenSource, record.tokenSha256], ["argv", sha256("argv-secret-1")]);
      const written = await Deno.readTextFile(`${root}/var/lib/k3s-standin/runs.jsonl`);
      assert(!written.includes("secret-1") && !written.includes("secret-2"), "no token in plain text");
    } finally {
      child.kill("SIGTERM");
      assertEquals((await withTimeout(child.output(), 5_000, "the stand-in to stop")).code, 0);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
