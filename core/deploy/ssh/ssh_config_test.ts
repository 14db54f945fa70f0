import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { parseDestination } from "./host.ts";
import { SshConfig } from "./ssh_config.ts";
import { shellCommand, shellQuote } from "./shell.ts";
import { expandProxyCommand } from "./proxy_command.ts";

const CONFIG = `
# defaults first apply to all
ConnectTimeout 7

Host bastion
  HostName 203.0.113.10
  User jump
  Port 2200
  IdentityFile ~/.ssh/bastion_key

Host node-* !node-skip
  User deploy
  ProxyJump bastion
  IdentityFile ~/.ssh/nodes_key

Host node-1
  HostName 10.1.0.1
  User ignored-since-first-wins

Host edge-via-two
  HostName 10.2.0.1
  ProxyJump admin@bastion:2201,node-1

Match host *
  User never-used

Host *
  IdentityFile = "~/.ssh/id_ed25519"
  User fallback
`;

Deno.test("ssh_config: Host patterns, first value wins, IdentityFiles add up, ProxyJump resolved through the file", () => {
  const config = new SshConfig(CONFIG, "/home/me");
  assertEquals(config.resolve("node-1"), {
    name: "node-1",
    address: "10.1.0.1",
    user: "deploy",
    identityFiles: ["/home/me/.ssh/nodes_key", "/home/me/.ssh/id_ed25519"],
    connectTimeoutMs: 7_000,
    jump: {
      name: "bastion",
      address: "203.0.113.10",
      user: "jump",
      port: 2200,
      identityFiles: ["/home/me/.ssh/bastion_key", "/home/me/.ssh/id_ed25519"],
      connectTimeoutMs: 7_000,
    },
  });
  // A negated pattern excludes the host from the block.
  assertEquals(config.resolve("node-skip").user, "fallback");
  assertEquals(config.resolve("node-skip").jump, undefined);
  // A ProxyJump list: the last hop is reached through the ones before it; user@host:port overrides.
  const two = config.resolve("edge-via-two");
  assertEquals(two.jump?.name, "node-1");
  assertEquals(two.jump?.jump?.name, "bastion");
  assertEquals(two.jump?.jump?.user, "admin");
  assertEquals(two.jump?.jump?.port, 2201);
  // An alias with no HostName is its own address.
  assertEquals(config.resolve("other.example").address, "other.example");
});

Deno.test("destinations and commands: user@host:port parsed; option-like hosts refused; shell words quoted", () => {
  assertEquals(parseDestination("admin@[fd00::1]:2222"), { user: "admin", address: "fd00::1", port: 2222 });
  assertEquals(parseDestination("host"), { user: undefined, address: "host", port: undefined });
  assertThrows(() => parseDestination("-oProxyCommand=x"));
  assertThrows(() => parseDestination("host:70000"));
  assertEquals(shellQuote("/etc/gloeth/node.json"), "/etc/gloeth/node.json");
  assertEquals(shellCommand(["echo", "it's $HOME; rm -rf /"]), `echo 'it'\\''s $HOME; rm -rf /'`);
  assertEquals(expandProxyCommand("nc %h %p # %r %%", "10.0.0.1", 22, "root"), "nc 10.0.0.1 22 # root %");
});
