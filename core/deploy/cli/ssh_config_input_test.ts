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

Deno.test("applySshConfig: an alias resolves through its Host blocks, ProxyJump included", () => {
  const result = applySshConfig(
    { ssh: { user: "root" }, hosts: [{ name: "a", ssh: { address: "node-a" } }] },
    config,
  );
  assertEquals(result.hosts, [{
    name: "a",
    ssh: {
      address: "10.0.0.11",
      port: 2222,
      user: "admin",
      identityFiles: ["/home/dev/.ssh/lab_key"],
      jump: { address: "203.0.113.7", user: "jump" },
    },
  }]);
  // The shared defaults are left for the inventory's parser to merge under the host's own.
  assertEquals(result.ssh, { user: "root" });
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
