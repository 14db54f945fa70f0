// The power loop inside Nodin, against a FAKE driver (testing/fake_power_driver.ts): transitions land in
// the node and its history with their evidence, and a restarted Nodin honours the stored desired state.
import { SqliteStore } from "../store/sqlite.ts";
import { LogSink } from "../log/logger.ts";
import { assertEquals, assertMatch } from "../testing/assert.ts";
import { waitFor } from "../testing/harness/wait.ts";
import { Nodin } from "./nodin.ts";
import { DriverRegistry } from "./power/registry.ts";
import { CredentialFiles } from "./secrets.ts";
import { SqliteNodinRepository } from "./store_sqlite.ts";
import { fakeDriverFactory } from "./testing/fake_power_driver.ts";

const timing = { pollMs: 20, busyPollMs: 5, softOffTimeoutMs: 200, maxBackoffMs: 100 };

Deno.test("nodin power: desired on shows off → powering-on → on in the node's history; a restart keeps the wish", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-nodin-power-" });
  const fake = fakeDriverFactory();
  const log = new LogSink({ level: "error", format: "logfmt", write: () => {} }).logger("nodin");
  const open = () => {
    const store = SqliteStore.open(`${dir}/ctpf.sqlite`);
    const nodin = new Nodin({
      log,
      repository: new SqliteNodinRepository(store),
      credentials: new CredentialFiles(`${dir}/credentials`),
      drivers: new DriverRegistry([fake]),
      powerTiming: timing,
    });
    return { store, nodin };
  };
  let { store, nodin } = open();
  try {
    nodin.start();
    const node = nodin.create({
      name: "m1",
      bmc: { driver: "fake", address: "m1", credential: { password: "pw" } },
    }, "admin");
    await waitFor(() => nodin.get(node.id)?.observedPower.state === "off", { what: "first poll" });
    assertEquals(fake.credentials.get("m1")?.password, "pw");
    nodin.power.request(node.id, "on", "admin");
    await waitFor(() => nodin.get(node.id)?.observedPower.state === "on", { what: "power on" });
    const power = nodin.history(node.id).filter((e) => e.kind === "power").map((e) => e.message).toReversed();
    assertMatch(power[0], /^unknown → off: fake BMC: off$/);
    assertMatch(power[1], /^fake: on \(desired on since .*\)$/);
    assertMatch(power[2], /^off → powering-on: fake: on asked$/);
    assertMatch(power[3], /^powering-on → on: fake BMC: on$/);
    assertEquals(nodin.get(node.id)?.observedPower.evidence, "fake BMC: on");

    // The wish changes while nothing runs; the next start acts on it.
    await nodin.stop();
    store.close();
    ({ store, nodin } = open());
    nodin.power.request(node.id, "off", "admin");
    assertEquals(fake.machines.get("m1")?.power, "on");
    nodin.start();
    await waitFor(() => nodin.get(node.id)?.observedPower.state === "off", {
      what: "power off after restart",
    });
    assertEquals(fake.machines.get("m1")?.actions, ["on", "off"]);
  } finally {
    await nodin.stop();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
