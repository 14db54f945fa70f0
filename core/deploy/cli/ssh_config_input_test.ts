import { assertEquals } from "../../testing/assert.ts";
import { SshConfig } from "../ssh/ssh_config.ts";
import { applySshConfig } from "./ssh_config_input.ts";

const config = new SshConfig(
  [
    "Host bastion",
    "  HostName 203.0.113.7",
    "  User jump",
    "Host node-*",
    "  User admin",
    "  Port 2222",
    "  IdentityFile ~/.ssh/lab_key",
    "  ProxyJump bastion",
    "Host node-a",
    "  HostName 10.0.0.11",
  ].join("\n"),
  "/home/dev",
);

Deno.test("applySshConfig: an alias resolves through its Host blocks, ProxyJump included; the inventory's shared settings win", () => {
  const result = applySshConfig(
    { ssh: { user: "root" }, hosts: [{ name: "a", ssh: { address: "node-a" } }] },
    config,
  );
  assertEquals(result.hosts, [{
    name: "a",
    ssh: {
      address: "10.0.0.11",
      port: 2222,
      identityFiles: ["/home/dev/.ssh/lab_key"],
      jump: { address: "203.0.113.7", user: "jump" },
    },
  }]);
  // The shared user is the inventory's word for all its hosts: ssh_config's User admin does not replace
  // it; the parser merges it under the host's own fields.
  assertEquals(result.ssh, { user: "root" });
  const unshared = applySshConfig({ hosts: [{ name: "a", ssh: { address: "node-a" } }] }, config);
  assertEquals((unshared.hosts as { ssh: { user: string } }[])[0].ssh.user, "admin");
  // A route given for all hosts keeps ssh_config's ProxyJump out.
  const routed = applySshConfig({ ssh: { proxyCommand: "nc %h %p" }, hosts: [{ name: "node-a" }] }, config);
  assertEquals((routed.hosts as { ssh: Record<string, unknown> }[])[0].ssh, {
    address: "10.0.0.11",
    port: 2222,
    user: "admin",
    identityFiles: ["/home/dev/.ssh/lab_key"],
  });
});

Deno.test("applySshConfig: the host's own fields win; its own route is not mixed with the config's", () => {
  const result = applySshConfig({
    hosts: [
      { name: "node-b", ssh: { user: "me", proxyCommand: "nc %h %p" } },
      { name: "plain", ssh: { address: "192.0.2.5" } },
      "not a host",
    ],
  }, config);
  assertEquals(result.hosts, [
    {
      name: "node-b",
      ssh: {
        address: "node-b",
        port: 2222,
        user: "me",
        identityFiles: ["/home/dev/.ssh/lab_key"],
        proxyCommand: "nc %h %p",
      },
    },
    { name: "plain", ssh: { address: "192.0.2.5" } },
    "not a host",
  ]);
});

Deno.test("applySshConfig: a k3s inventory's servers and agents are completed the same way", () => {
  const result = applySshConfig({
    servers: [{ name: "node-a" }],
    agents: [{ name: "a1", ssh: { address: "bastion" } }],
  }, config);
  assertEquals(result.servers, [{
    name: "node-a",
    ssh: {
      address: "10.0.0.11",
      port: 2222,
      user: "admin",
      identityFiles: ["/home/dev/.ssh/lab_key"],
      jump: { address: "203.0.113.7", user: "jump" },
    },
  }]);
  assertEquals(result.agents, [{ name: "a1", ssh: { address: "203.0.113.7", user: "jump" } }]);
  assertEquals(result.hosts, undefined);
});
