import { assertEquals, assertMatch, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { SshError } from "./errors.ts";
import { fingerprintOf, keyTypeOf } from "./fingerprint.ts";
import { KnownHosts, knownHostsLabel } from "./known_hosts.ts";

function blob(type: string, filler: number): Uint8Array {
  const name = new TextEncoder().encode(type);
  const out = new Uint8Array(4 + name.length + 36);
  new DataView(out.buffer).setUint32(0, name.length);
  out.set(name, 4);
  out.fill(filler, 4 + name.length);
  return out;
}

Deno.test("known hosts: first contact is recorded (0600, OpenSSH's format), then enforced; a changed key names both fingerprints", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/sub/known_hosts`;
    const store = new KnownHosts(path);
    const first = blob("ssh-ed25519", 1);
    const other = blob("ssh-ed25519", 2);
    assertStrictEquals(store.verify("web1", knownHostsLabel("10.0.0.5", 22), first), "recorded");
    assertStrictEquals(store.verify("web1", "10.0.0.5", first), "known");
    assertStrictEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals(
      await Deno.readTextFile(path),
      `10.0.0.5 ssh-ed25519 ${Buffer.from(first).toString("base64")}\n`,
    );
    // Another port is another host to ssh.
    assertStrictEquals(store.verify("web1", knownHostsLabel("10.0.0.5", 2222), other), "recorded");
    const refused = assertThrows(() => store.verify("web1", "10.0.0.5", other), SshError);
    assertStrictEquals((refused as SshError).kind, "host-key");
    assertMatch(refused.message, /^web1: HOST KEY CHANGED for 10\.0\.0\.5/);
    assertMatch(
      refused.message,
      new RegExp(`expected ssh-ed25519 ${fingerprintOf(first).replace(/[+/]/g, "\\$&")}`),
    );
    assertMatch(
      refused.message,
      new RegExp(`offered ssh-ed25519 ${fingerprintOf(other).replace(/[+/]/g, "\\$&")}`),
    );
    // Nothing was overwritten or added by the refusal.
    assertStrictEquals((await Deno.readTextFile(path)).split("\n").filter(Boolean).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("known hosts: a user's file with hashed names, host lists, comments and @revoked is understood, listed, forgotten", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const key = blob("ssh-ed25519", 7);
    const revoked = blob("ssh-ed25519", 9);
    const salt = Buffer.from("0123456789abcdef0123");
    const hash = createHmac("sha1", salt).update("[bastion.example]:2200").digest("base64");
    const base64 = Buffer.from(key).toString("base64");
    await Deno.writeTextFile(
      `${dir}/known_hosts`,
      [
        "# a comment",
        `|1|${salt.toString("base64")}|${hash} ssh-ed25519 ${base64}`,
        `alpha,10.0.0.9 ssh-ed25519 ${base64}`,
        `@revoked gamma ssh-ed25519 ${Buffer.from(revoked).toString("base64")}`,
        "",
      ].join("\n"),
    );
    const store = new KnownHosts(`${dir}/known_hosts`);
    assertStrictEquals(store.verify("b", "[bastion.example]:2200", key), "known");
    assertStrictEquals(store.verify("a", "10.0.0.9", key), "known");
    assertThrows(() => store.verify("a", "10.0.0.9", revoked), SshError, "HOST KEY CHANGED");
    assertThrows(() => store.verify("g", "gamma", revoked), SshError, "@revoked");
    assertEquals(store.fingerprints("alpha"), [`ssh-ed25519 ${fingerprintOf(key)}`]);

    // Listed as written; forgetting a re-installed host (by any of its names, hashed ones too) lets its
    // new key be recorded, and leaves @revoked lines alone.
    assertEquals(store.list().map((entry) => entry.host).slice(1), ["alpha,10.0.0.9", "gamma"]);
    assertEquals(store.list()[2].fingerprints, [`@revoked ssh-ed25519 ${fingerprintOf(revoked)}`]);
    assertStrictEquals(store.forget("10.0.0.9"), 1);
    assertStrictEquals(store.forget("10.0.0.9"), 0);
    assertStrictEquals(store.verify("a", "10.0.0.9", revoked), "recorded");
    assertStrictEquals(store.forget("[bastion.example]:2200"), 1);
    assertStrictEquals(store.verify("b", "[bastion.example]:2200", revoked), "recorded");
    assertStrictEquals(store.forget("gamma"), 0);
    assertThrows(() => store.verify("g", "gamma", revoked), SshError, "@revoked");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fingerprints are OpenSSH's: SHA256 of the blob, unpadded base64; the type read from the blob", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const keygen = await new Deno.Command("ssh-keygen", {
      args: ["-q", "-t", "ed25519", "-N", "", "-f", `${dir}/k`],
    }).output();
    assertStrictEquals(keygen.success, true);
    const [type, base64] = (await Deno.readTextFile(`${dir}/k.pub`)).split(" ");
    const listed = await new Deno.Command("ssh-keygen", { args: ["-lf", `${dir}/k.pub`], stdout: "piped" })
      .output();
    const expected = new TextDecoder().decode(listed.stdout).split(" ")[1];
    const raw = new Uint8Array(Buffer.from(base64, "base64"));
    assertStrictEquals(fingerprintOf(raw), expected);
    assertStrictEquals(keyTypeOf(raw), type);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
