import { assert, assertEquals } from "../testing/assert.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { ensureAdminToken } from "./admin_token.ts";
import { Authenticator } from "./authenticator.ts";
import { authorize } from "./policy.ts";
import { hashPassword, parseToken, verifyPassword } from "./secrets.ts";
import { SqliteAuthRepository } from "./store_sqlite.ts";

function setup(now = () => new Date()) {
  const store = SqliteStore.open(":memory:");
  const repository = new SqliteAuthRepository(store);
  return { store, repository, auth: new Authenticator(repository, { sessionTtlMs: 60_000, now }) };
}

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

Deno.test("auth: bearer tokens authenticate; unknown, tampered and revoked ones do not", async () => {
  const { auth, store } = setup();
  const { text, record } = auth.createToken("ci", "viewer");
  assertEquals(await auth.authenticate(`Bearer ${text}`), {
    kind: "token",
    name: "ci",
    role: "viewer",
    tokenId: record.id,
  });
  const parts = parseToken(text)!;
  const tampered = `ctpf_${parts.id}_${parts.secret.slice(0, -1)}${parts.secret.endsWith("A") ? "B" : "A"}`;
  assertEquals(await auth.authenticate(`Bearer ${tampered}`), undefined);
  assertEquals(await auth.authenticate("Bearer ctpf_0000000000000000_" + "A".repeat(43)), undefined);
  assertEquals(await auth.authenticate("Bearer nonsense"), undefined);
  assertEquals(await auth.authenticate(""), undefined);
  assertEquals(await auth.authenticate(null), undefined);
  assert(auth.revokeToken(record.id));
  assertEquals(await auth.authenticate(`Bearer ${text}`), undefined);
  store.close();
});

Deno.test("auth: the store keeps only a hash of token secrets and of passwords", async () => {
  const { auth, store } = setup();
  const { text } = auth.createToken("ci", "admin");
  await auth.putUser("alice", "correct horse", "admin");
  const dump = JSON.stringify([
    ...store.db.prepare("SELECT * FROM auth_tokens").all(),
    ...store.db.prepare("SELECT * FROM auth_users").all(),
  ]);
  assert(!dump.includes(parseToken(text)!.secret), "token secret stored in clear");
  assert(!dump.includes("correct horse"), "password stored in clear");
  store.close();
});

Deno.test("auth: passwords via Basic and Login; sessions expire and die with the user", async () => {
  let clock = new Date("2026-01-01T00:00:00Z");
  const { auth, store } = setup(() => clock);
  await auth.putUser("alice", "correct horse", "viewer");
  assertEquals((await auth.authenticate(basic("alice", "correct horse")))?.name, "alice");
  assertEquals(await auth.authenticate(basic("alice", "wrong")), undefined);
  assertEquals(await auth.authenticate(basic("bob", "correct horse")), undefined);
  assertEquals(await auth.login("alice", "wrong"), undefined);
  const session = (await auth.login("alice", "correct horse"))!;
  assertEquals((await auth.authenticate(`Bearer ${session.text}`))?.kind, "user");
  clock = new Date(clock.getTime() + 61_000);
  assertEquals(await auth.authenticate(`Bearer ${session.text}`), undefined);
  const second = (await auth.login("alice", "correct horse"))!;
  await auth.putUser("alice", "new password!", "admin");
  assertEquals(await auth.authenticate(`Bearer ${second.text}`), undefined, "password change ends sessions");
  assertEquals(await auth.authenticate(basic("alice", "correct horse")), undefined, "old password cached");
  auth.deleteUser("alice");
  assertEquals(await auth.authenticate(basic("alice", "new password!")), undefined);
  store.close();
});

Deno.test("auth: Basic with a token as password serves clients that only speak Basic", async () => {
  const { auth, store } = setup();
  const { text } = auth.createToken("rclone", "admin");
  assertEquals((await auth.authenticate(basic("anything", text)))?.name, "rclone");
  store.close();
});

Deno.test("auth: password hashes are salted scrypt", async () => {
  const a = await hashPassword("pw123456"), b = await hashPassword("pw123456");
  assert(a !== b && a.startsWith("scrypt$16384$8$1$"));
  assert(await verifyPassword("pw123456", a));
  assert(!(await verifyPassword("pw1234567", a)));
  assert(!(await verifyPassword("pw123456", "plain")));
});

Deno.test("auth: policy — reads need a viewer (or anonymous-read), writes an admin", () => {
  const viewer = { kind: "token" as const, name: "v", role: "viewer" as const };
  const admin = { kind: "token" as const, name: "a", role: "admin" as const };
  assertEquals(authorize("public", undefined, false).allowed, true);
  assertEquals(authorize("read", undefined, false), { allowed: false, reason: "unauthenticated" });
  assertEquals(authorize("read", undefined, true).allowed, true);
  assertEquals(authorize("write", undefined, true), { allowed: false, reason: "unauthenticated" });
  assertEquals(authorize("self", undefined, true), { allowed: false, reason: "unauthenticated" });
  assertEquals(authorize("read", viewer, false).allowed, true);
  assertEquals(authorize("self", viewer, false).allowed, true);
  assertEquals(authorize("write", viewer, false), { allowed: false, reason: "permission_denied" });
  assertEquals(authorize("write", admin, false).allowed, true);
});

Deno.test("auth: the admin token is created once, 0600, and replaced when the store forgot it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-auth-" });
  try {
    const path = `${dir}/admin.token`;
    const first = setup();
    const created = ensureAdminToken(first.auth, path)!;
    assert(created !== undefined);
    assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
    assertEquals(Deno.readTextFileSync(path).trim(), created);
    assertEquals((await first.auth.authenticate(`Bearer ${created}`))?.role, "admin");
    assertEquals(ensureAdminToken(first.auth, path), undefined, "second start must not print a new one");
    const wiped = setup();
    const replaced = ensureAdminToken(wiped.auth, path)!;
    assert(replaced !== undefined && replaced !== created);
    first.store.close();
    wiped.store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
