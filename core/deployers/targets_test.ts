import { assertEquals } from "../testing/assert.ts";
import type { InventoryNode } from "./model.ts";
import { hostNameOf, toTargets, unameArchitecture } from "./targets.ts";

const node = (fields: Partial<InventoryNode>): InventoryNode => ({
  id: "id",
  name: "n",
  labels: {},
  provider: "lab",
  addresses: ["10.0.0.1"],
  architecture: "",
  lifecycle: "enrolled",
  ...fields,
});

Deno.test("targets: DNS-label names (distinct by id when two read alike), user and port from labels, reasons", () => {
  const settings = { sshUserLabel: "ctpf.io/ssh-user", defaultSshUser: "root" };
  const targets = toTargets([
    node({ id: "aaaaaaaa1111", name: "Rack_A.node1", architecture: "x64", addresses: ["10.0.0.5/24"] }),
    node({ id: "bbbbbbbb2222", name: "rack-a-node1", labels: { "ctpf.io/ssh-user": "debian" } }),
    node({ id: "c", name: "gone", lifecycle: "retired", addresses: [] }),
    node({ id: "d", name: "odd", labels: { "ctpf.io/ssh-user": "-x", "ctpf.io/ssh-port": "99999" } }),
  ], settings);
  assertEquals(
    targets.map((
      t,
    ) => [t.hostName, t.address, t.port, t.architecture, t.sshUser, t.usable, t.unusableReason]),
    [
      ["rack-a-node1-aaaaaaaa", "10.0.0.5", 22, "x86_64", "root", true, ""],
      ["rack-a-node1-bbbbbbbb", "10.0.0.1", 22, "", "debian", true, ""],
      ["gone", "", 22, "", "root", false, "no address; retired"],
      [
        "odd",
        "10.0.0.1",
        99999,
        "",
        "-x",
        false,
        "ctpf.io/ssh-user is not a login name; ctpf.io/ssh-port is not a port",
      ],
    ],
  );
  assertEquals([unameArchitecture("arm64"), unameArchitecture("AMD64"), unameArchitecture("riscv64")], [
    "aarch64",
    "x86_64",
    "",
  ]);
  assertEquals(hostNameOf("--Über Node--"), "ber-node");
});
