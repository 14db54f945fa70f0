import { FieldErrors } from "../../errors/field_errors.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { rootTest, run } from "../../testing/harness/mod.ts";
import { describeGloethPlan } from "./describe.ts";
import { type GloethInventoryInput, parseGloethInventory } from "./inventory.ts";
import { buildGloethPlan, type ControllerView } from "./plan.ts";
import { pingScript } from "./mesh_check.ts";
import type { GloethRelease, ReleaseArchive } from "./release.ts";

function archive(arch: "x86_64" | "aarch64"): ReleaseArchive {
  const folder = `gloeth-0.1.0-linux-${arch}`;
  return {
    arch,
    path: `/rel/${folder}.tar.gz`,
    file: `${folder}.tar.gz`,
    folder,
    sha256: "ab".repeat(32),
    size: 1,
    unitText: "[Unit]\n",
  };
}

const release: GloethRelease = {
  version: "0.1.0",
  archives: { x86_64: archive("x86_64"), aarch64: archive("aarch64") },
};

const controller: ControllerView = {
  networkDir: "/srv/mesh/network",
  nodeDir: (name) => `/srv/mesh/nodes/${name}`,
  hasRevocations: false,
  records: [],
};

function threeNodes(overrides: GloethInventoryInput = {}): GloethInventoryInput {
  return {
    stateDir: "/srv/mesh",
    overlayNetwork: "10.200.0.0/24",
    ssh: { user: "admin", identityFiles: ["/home/me/.ssh/id_ed25519"] },
    hosts: [
      { name: "a", ssh: { address: "198.51.100.1" }, overlayAddress: "10.200.0.1", arch: "aarch64" },
      {
        name: "b",
        ssh: { address: "198.51.100.2", user: "root" },
        overlayAddress: "10.200.0.2",
        endpoint: "b.example:7000",
      },
      { name: "c", ssh: { address: "192.168.1.9" }, overlayAddress: "10.200.0.3", listen: false },
      { name: "r", ssh: { address: "198.51.100.4" }, relay: true },
    ],
    ...overrides,
  };
}

Deno.test("gloeth inventory: defaults filled, SSH settings shared and overridden", () => {
  const inventory = parseGloethInventory(threeNodes());
  assertEquals([inventory.linkPort, inventory.tap, inventory.overlay.prefixLength], [655, "gloeth0", 24]);
  const [a, b, c, r] = inventory.hosts;
  assertEquals([a.ssh.user, b.ssh.user, a.ssh.identityFiles], ["admin", "root", [
    "/home/me/.ssh/id_ed25519",
  ]]);
  assertEquals([a.endpoint, b.endpoint, c.endpoint, r.endpoint], [
    "198.51.100.1:655",
    "b.example:7000",
    undefined,
    "198.51.100.4:655",
  ]);
  assertEquals([r.relay, r.overlayAddress, a.arch, b.arch], [true, undefined, "aarch64", undefined]);
});

Deno.test("gloeth inventory: every wrong field is named", () => {
  const error = assertThrows(() =>
    parseGloethInventory({
      stateDir: "relative/dir",
      overlayNetwork: "10.200.0.0",
      hosts: [
        { name: "A", ssh: {}, overlayAddress: "10.200.0.1" },
        { name: "b", ssh: { address: "h", port: 0 }, overlayAddress: "10.9.0.1", arch: "mips" },
        {
          name: "c",
          ssh: { address: "h" },
          overlayAddress: "10.200.0.1",
          relay: true,
          listen: false,
          endpoint: "x:1",
        },
      ],
    }), FieldErrors) as FieldErrors;
  assertEquals(error.errors.map((entry) => entry.field), [
    "stateDir",
    "overlayNetwork",
    "hosts[0].name",
    "hosts[0].ssh.address",
    "hosts[1].ssh.port",
    "hosts[1].arch",
    "hosts[2].overlayAddress",
    "hosts[2].endpoint",
  ]);
  const duplicate = assertThrows(() =>
    parseGloethInventory(threeNodes({
      hosts: [
        { name: "a", ssh: { address: "h1" }, overlayAddress: "10.200.0.1", listen: false },
        { name: "a", ssh: { address: "h2" }, overlayAddress: "10.200.0.1", listen: false },
      ],
    })), FieldErrors) as FieldErrors;
  assertEquals(duplicate.errors.map((entry) => entry.message), [
    "a is also hosts[0]",
    "10.200.0.1 is also the address of hosts[0]",
    "at least one host must accept links (listen), or none can link",
  ]);
});

Deno.test("gloeth plan: peers are the other listeners, flags per role, node files 0600 from the controller", () => {
  const plan = buildGloethPlan(parseGloethInventory(threeNodes()), release, controller);
  const [a, b, c, r] = plan.hosts;
  assertEquals(a.flags, {
    "peers": "b.example:7000,198.51.100.4:655",
    "link-listen": "0.0.0.0:655",
    "tap": "gloeth0",
    "tap-address": "10.200.0.1/24",
  });
  assertEquals([c.flags.peers, c.flags["link-listen"]], [
    "198.51.100.1:655,b.example:7000,198.51.100.4:655",
    "",
  ]);
  assertEquals([r.flags.tap, r.flags["tap-address"]], ["", ""]);
  assertEquals(Object.keys(a.archives), ["aarch64"]);
  assertEquals(Object.keys(b.archives), ["x86_64", "aarch64"]);
  assertEquals(b.files.map((file) => [file.path, file.mode.toString(8), file.secret]), [
    ["/etc/ctpf/gloeth/node/node.key", "600", true],
    ["/etc/ctpf/gloeth/node/node.cert", "600", false],
    ["/etc/ctpf/gloeth/node/tls.pem", "600", false],
    ["/etc/ctpf/gloeth/node/network.pub", "600", false],
    ["/etc/ctpf/gloeth/node/ca.pem", "600", false],
    ["/etc/ctpf/gloeth.env", "600", false],
  ]);
  assertEquals(b.files[0].content, { kind: "controller-file", path: "/srv/mesh/nodes/b/node.key" });
  assertEquals(b.files[5].content, {
    kind: "text",
    text: "# gloeth node b, written by gloethdeployer: changes here are undone on its next run.\n" +
      "CTPF_GLOETH_PEERS=198.51.100.1:655,198.51.100.4:655\nCTPF_GLOETH_LINK_LISTEN=0.0.0.0:655\n" +
      "CTPF_GLOETH_TAP=gloeth0\nCTPF_GLOETH_TAP_ADDRESS=10.200.0.2/24\n",
  });
  assertEquals(plan.mesh, [
    { host: "a", address: "10.200.0.1" },
    { host: "b", address: "10.200.0.2" },
    { host: "c", address: "10.200.0.3" },
  ]);
  // Nothing secret in the plan's words: keys are named by where they are.
  const text = describeGloethPlan(plan).join("\n");
  assert(
    text.includes(
      "file /etc/ctpf/gloeth/node/node.key 0600 secret, from the controller's /srv/mesh/nodes/a/node.key",
    ),
  );
  assert(text.includes("r: relay (no local segment), links on 0.0.0.0:655"));
  assert(text.includes("c: overlay 10.200.0.3/24 on gloeth0, dials out only"));
});

Deno.test("gloeth plan: the revocation list goes to every node; hosts that left are removed", () => {
  const record = (name: string) => ({
    name,
    serial: "42",
    ssh: { name, address: "203.0.113.5" },
    revoked: false,
  });
  const plan = buildGloethPlan(parseGloethInventory(threeNodes()), release, {
    ...controller,
    hasRevocations: true,
    records: [record("a"), record("old")],
  });
  for (const host of plan.hosts) {
    assertEquals(host.files.at(-2)?.path, "/etc/ctpf/gloeth/node/revocations");
    assertEquals(host.files.at(-2)?.content, {
      kind: "controller-file",
      path: "/srv/mesh/network/revocations",
    });
  }
  assertEquals(plan.removals.map((removal) => [removal.host, removal.serial]), [["old", "42"]]);
  assert(
    describeGloethPlan(plan).includes(
      "old: revoked (serial 42, the list goes to every node), its unit stopped if it answers",
    ),
  );
});

rootTest("gloeth mesh check script: each address tried until the shared deadline", async () => {
  // In a network namespace of its own: loopback answers, and the other address has no route at all.
  const script = `ip link set lo up\n${pingScript(["127.0.0.1", "10.255.255.254"], 2)}`;
  const output = await run(["unshare", "--net", "sh", "-c", script]);
  assertEquals(output.stdout, "reached 127.0.0.1\nmissing 10.255.255.254\n");
});

Deno.test("gloeth plan: a removed name at a current host's SSH address and port is revoked, never stopped", () => {
  const record = (name: string, ssh: { address: string; port?: number }) => ({
    name,
    serial: "7",
    ssh: { name, ...ssh },
    revoked: false,
  });
  const plan = buildGloethPlan(parseGloethInventory(threeNodes()), release, {
    ...controller,
    records: [
      record("b-old", { address: "198.51.100.2" }), // b's machine, renamed (port 22 either way)
      record("c-old", { address: "192.168.1.9", port: 22 }),
      record("other-port", { address: "198.51.100.2", port: 2222 }), // another sshd: another machine
      record("gone", { address: "203.0.113.5" }),
    ],
  });
  assertEquals(plan.removals.map((removal) => [removal.host, removal.sameMachineAs]), [
    ["b-old", "b"],
    ["c-old", "c"],
    ["other-port", undefined],
    ["gone", undefined],
  ]);
  const text = describeGloethPlan(plan);
  assert(
    text.includes(
      "b-old: revoked (serial 7, the list goes to every node), its unit left running: the same machine as b " +
        "(198.51.100.2:22)",
    ),
    text.join("\n"),
  );
  assert(
    text.includes("gone: revoked (serial 7, the list goes to every node), its unit stopped if it answers"),
    text.join("\n"),
  );
});
