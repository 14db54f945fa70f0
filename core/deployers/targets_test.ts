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

Deno.test("targets: an address starting with '-' is refused (ssh would read it as an option)", () => {
  const settings = { sshUserLabel: "ctpf.io/ssh-user", defaultSshUser: "root" };
  const targets = toTargets([
    node({ id: "a", name: "a", addresses: ["-oLocalCommand"] }),
    node({ id: "b", name: "b", addresses: ["host-1.lab"] }),
  ], settings);
  assertEquals(targets.map((t) => [t.usable, t.unusableReason]), [
    [false, 'address "-oLocalCommand" is not reachable by name'],
    [true, ""],
  ]);
});

Deno.test("targets: a node keeps the host name it was deployed under; a new name never takes one kept for another node", () => {
  const settings = { sshUserLabel: "ctpf.io/ssh-user", defaultSshUser: "root" };
  // node-1a2b was deployed as node-1a2b and web1 as web1; nodin renamed the first to its DHCP hostname.
  const kept = new Map([["id-1a2b", "node-1a2b"], ["id-web1", "web1"], ["id-gone", "db"]]);
  const targets = toTargets(
    [
      node({ id: "id-1a2b", name: "printer-room" }),
      node({ id: "id-web1", name: "web1" }),
      // New nodes: one named as the absent id-gone was (db), one as the renamed node is now.
      node({ id: "id-new-db", name: "db" }),
      node({ id: "id-new-pr", name: "printer-room" }),
    ],
    settings,
    kept,
  );
  assertEquals(targets.map((t) => t.hostName), ["node-1a2b", "web1", "db-id-new-d", "printer-room"]);
  // A new node named like a kept name whose id suffix is taken too still gets a name of its own.
  const crowded = toTargets(
    [node({ id: "id-new-db-2", name: "db" })],
    settings,
    new Map([["id-gone", "db"], ["x", "db-id-new-d"]]),
  );
  assertEquals(crowded.map((t) => t.hostName), ["db-id-new-d-2"]);
});
