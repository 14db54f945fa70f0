import { FieldErrors } from "../../errors/field_errors.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { type K3sInventoryInput, parseK3sInventory } from "./inventory.ts";
import { highlyAvailable, oneServer } from "./testing.ts";

function fieldErrors(input: K3sInventoryInput): [string, string][] {
  const error = assertThrows(() => parseK3sInventory(input), FieldErrors) as FieldErrors;
  return error.errors.map(({ field, message }) => [field, message]);
}

Deno.test("k3s inventory: defaults fill the overlay interface and unit; args become config entries", () => {
  const inventory = parseK3sInventory(
    highlyAvailable({
      serverArgs: ["--disable=traefik", "--disable=servicelb", "--node-label=zone=a", "--secrets-encryption"],
      agentArgs: ["--node-taint=dedicated=ci:NoSchedule"],
    }),
  );
  assertEquals(inventory.servers[0], {
    name: "s1",
    overlayAddress: "10.200.0.1",
    overlayInterface: "gloeth0",
    arch: "x86_64",
  });
  assertEquals(inventory.servers[2].overlayInterface, "mesh0");
  assertEquals(inventory.overlayUnit, "gloeth.service");
  assertEquals(inventory.serverConfig, [
    ["disable", ["traefik", "servicelb"]],
    ["node-label", "zone=a"],
    ["secrets-encryption", true],
  ]);
  assertEquals(inventory.agentConfig, [["node-taint", "dedicated=ci:NoSchedule"]]);
});

Deno.test("k3s inventory: no server is refused by name", () => {
  assertEquals(fieldErrors(oneServer({ servers: [] })), [
    ["servers", "at least one server: the first one initialises the cluster"],
  ]);
  assertEquals(fieldErrors(oneServer({ servers: undefined, agents: [] })), [
    ["servers", "at least one server: the first one initialises the cluster"],
  ]);
});

Deno.test("k3s inventory: a duplicate host name or overlay address names both places", () => {
  const input = highlyAvailable();
  const agents = input.agents as Record<string, unknown>[];
  agents[1] = { ...agents[1], name: "s2" };
  agents[0] = { ...agents[0], overlayAddress: "10.200.0.1" };
  assertEquals(fieldErrors(input), [
    ["agents[0].overlayAddress", "10.200.0.1 is also the address of servers[0]"],
    ["agents[1].name", "s2 is also servers[1]"],
  ]);
});

Deno.test("k3s inventory: every wrong field at once, each by its path", () => {
  assertEquals(
    fieldErrors({
      cluster: "Lab!",
      servers: [{ name: "s1", overlayAddress: "10.200.0.1", arch: "x86_64" }, "s2"],
      agents: [
        { name: "a1", arch: "aarch64" },
        {
          name: "-a2",
          overlayAddress: "10.200.0.300",
          overlayInterface: "a-name-longer-than-15",
          arch: "mips",
        },
      ],
      tokenFile: "relative/token",
      tlsSans: ["ok.example", "no spaces"],
      version: "latest",
      overlayUnit: "gloeth",
    }),
    [
      ["cluster", "a name: 1-63 lowercase letters, digits or -"],
      ["servers[1]", "a host: { name, overlayAddress, overlayInterface?, arch, ssh? }"],
      ["agents[0].overlayAddress", "required: the node's gloeth address"],
      ["agents[1].name", "1-63 lowercase letters, digits or -, starting and ending with a letter or digit"],
      ["agents[1].overlayAddress", "an IPv4 address such as 10.200.0.1"],
      ["agents[1].overlayInterface", "an interface name of 1-15 characters"],
      ["agents[1].arch", "one of x86_64, aarch64"],
      ["tokenFile", "an absolute path on the controller of the cluster token file (made if absent)"],
      ["tlsSans[1]", "a host name or an IP address"],
      ["version", "a k3s release such as v1.31.4+k3s1"],
      ["overlayUnit", "a unit name such as gloeth.service, or empty"],
    ],
  );
});

Deno.test("k3s inventory: a download needs a version; air-gap needs every architecture's artifacts", () => {
  assertEquals(fieldErrors(oneServer({ version: undefined })), [
    ["version", "required unless air-gapped: the k3s release to download"],
  ]);
  assertEquals(
    fieldErrors(
      highlyAvailable({
        version: undefined,
        airgap: { x86_64: { binary: "/srv/k3s", images: "/srv/images.zip" }, riscv64: {} },
      }),
    ),
    [
      [
        "airgap.x86_64.images",
        "an absolute path on the controller to a .tar, .tar.gz or .tar.zst image archive",
      ],
      ["airgap.riscv64", "not an architecture (x86_64, aarch64)"],
      ["airgap.aarch64", "required: the artifacts for s3, a2 (aarch64)"],
    ],
  );
});

Deno.test("k3s inventory: flags k3sdeployer sets are refused, and a token argument is never echoed", () => {
  const errors = fieldErrors(
    oneServer({
      serverArgs: ["--token=hunter2-secret", "--node-ip=192.0.2.1", "--disable", "traefik"],
      agentArgs: ["--server=https://elsewhere:6443", "--selinux", "--selinux"],
    }),
  );
  assertEquals(errors, [
    [
      "serverArgs[0]",
      "--token is set by k3sdeployer: the cluster token is a secret: give it as tokenFile, never as an argument",
    ],
    ["serverArgs[1]", "--node-ip is set by k3sdeployer: each node's address is its overlay address"],
    ["serverArgs[3]", "write each flag as --name=value or --name (a boolean flag)"],
    [
      "agentArgs[0]",
      "--server is set by k3sdeployer: joining servers and agents connect to the first server's overlay address",
    ],
    ["agentArgs[2]", "--selinux is given twice"],
  ]);
  const message = assertThrows(() =>
    parseK3sInventory(oneServer({ serverArgs: ["--token=hunter2-secret"] }))
  );
  assert(!String(message).includes("hunter2"), "the refused token is not in the error");
});

Deno.test("k3s inventory: each host's SSH target over the shared settings, as in the gloeth inventory", () => {
  const inventory = parseK3sInventory(oneServer({
    ssh: { user: "admin", identityFiles: ["/keys/lab"], agent: false },
    servers: [
      { name: "s1", overlayAddress: "10.200.0.1", arch: "x86_64", ssh: { address: "192.0.2.1", port: 2222 } },
    ],
    agents: [{ name: "a1", overlayAddress: "10.200.0.11", arch: "x86_64", ssh: { address: "192.0.2.11" } }],
  }));
  assertEquals(inventory.servers[0].ssh, {
    name: "s1",
    address: "192.0.2.1",
    port: 2222,
    user: "admin",
    identityFiles: ["/keys/lab"],
    agent: false,
    proxyCommand: undefined,
    connectTimeoutMs: undefined,
    jump: undefined,
  });
  assertEquals([inventory.agents[0].ssh?.address, inventory.agents[0].ssh?.port], ["192.0.2.11", 22]);
  // Without any SSH settings a plan can still be made (and the deployer refuses to run it).
  assertEquals(parseK3sInventory(oneServer()).servers[0].ssh, undefined);
  assertEquals(
    fieldErrors(oneServer({
      ssh: "root@somewhere",
      agents: [{ name: "a1", overlayAddress: "10.200.0.11", arch: "x86_64", ssh: { port: 0 } }],
    })),
    [
      ["ssh", "shared SSH settings: { user?, identityFiles?, … }"],
      ["agents[0].ssh.address", "required: the host name or IP address to reach"],
      ["agents[0].ssh.port", "a TCP port (1-65535)"],
    ],
  );
});
