// The desired-state loop's timing against a FAKE driver (testing/fake_power_driver.ts): the order of
// transitions, soft then hard off, backoff while unreachable, and a restart. Real drivers have their own
// tests against real BMCs.
import { assert, assertEquals } from "../../testing/assert.ts";
import { waitFor } from "../../testing/harness/wait.ts";
import type { DesiredPowerRecord } from "../model.ts";
import { FakePowerDriver } from "../testing/fake_power_driver.ts";
import type { PowerObservation } from "./driver.ts";
import { type PowerHost, type PowerTiming, PowerWorker } from "./worker.ts";

const timing: PowerTiming = {
  pollMs: 20,
  busyPollMs: 5,
  callTimeoutMs: 500,
  actionTimeoutMs: 1000,
  softOffTimeoutMs: 150,
  maxBackoffMs: 160,
};

class TestHost implements PowerHost {
  desired: DesiredPowerRecord = { state: "", at: 1, evidence: "", offMode: "soft" };
  readonly states: string[] = [];
  readonly notes: string[] = [];
  constructor(readonly fake: FakePowerDriver) {}
  want(state: "on" | "off", offMode: "soft" | "hard" = "soft") {
    this.desired = { state, at: this.desired.at + 1, evidence: "test", offMode };
  }
  target() {
    return { bmc: { driver: "fake", address: "memory" }, desired: this.desired };
  }
  driver() {
    return this.fake;
  }
  observed(_id: string, observation: PowerObservation) {
    if (this.states.at(-1) !== observation.state) this.states.push(observation.state);
  }
  note(_id: string, message: string) {
    this.notes.push(message);
  }
}

Deno.test("nodin power loop: desired on powers an off node on, showing powering-on in between", async () => {
  const host = new TestHost(new FakePowerDriver(60));
  host.want("on");
  const worker = new PowerWorker("n1", host, timing);
  try {
    await waitFor(() => host.states.at(-1) === "on", { what: "node on", timeoutMs: 3000 });
    assertEquals(host.states, ["off", "powering-on", "on"]);
    assertEquals(host.fake.actions, ["on"]);
  } finally {
    await worker.stop();
  }
});

Deno.test("nodin power loop: a soft off the OS ignores becomes a hard off after the timeout", async () => {
  const fake = new FakePowerDriver(10);
  fake.power = "on";
  fake.honoursSoftOff = false;
  const host = new TestHost(fake);
  host.want("off");
  const started = Date.now();
  const worker = new PowerWorker("n1", host, timing);
  try {
    await waitFor(() => host.states.at(-1) === "off", { what: "node off", timeoutMs: 3000 });
    assert(Date.now() - started >= timing.softOffTimeoutMs, "power was cut before the soft-off timeout");
    assertEquals(fake.actions, ["soft-off", "off"]);
    assertEquals(host.states, ["on", "powering-off", "off"]);
    assert(host.notes.some((n) => n.startsWith("soft off not done after")), host.notes.join("\n"));
  } finally {
    await worker.stop();
  }
});

Deno.test("nodin power loop: hard off skips the soft step; a driver without soft off is cut at once", async () => {
  for (const [offMode, canSoftOff] of [["hard", true], ["soft", false]] as const) {
    const fake = new FakePowerDriver(10, canSoftOff);
    fake.power = "on";
    const host = new TestHost(fake);
    host.want("off", offMode);
    const worker = new PowerWorker("n1", host, timing);
    try {
      await waitFor(() => host.states.at(-1) === "off", { what: "node off", timeoutMs: 3000 });
      assertEquals(fake.actions, ["off"]);
    } finally {
      await worker.stop();
    }
  }
});

Deno.test("nodin power loop: unreachable is unknown, nothing is done and polling backs off; then it converges", async () => {
  const fake = new FakePowerDriver(10);
  fake.reachable = false;
  const host = new TestHost(fake);
  host.want("on");
  const worker = new PowerWorker("n1", host, timing);
  try {
    await new Promise((resolve) => setTimeout(resolve, 600));
    assertEquals(host.states, ["unknown"]);
    assertEquals(fake.actions, []);
    // Without backoff, 600 ms at 20 ms would be ~30 polls; doubling to 160 ms makes it about 7.
    assert(fake.statusCalls <= 10, `${fake.statusCalls} polls while unreachable`);
    fake.reachable = true;
    await waitFor(() => host.states.at(-1) === "on", { what: "node on", timeoutMs: 3000 });
    assertEquals(host.states, ["unknown", "off", "powering-on", "on"]);
  } finally {
    await worker.stop();
  }
});

Deno.test("nodin power loop: a new worker (a restart) honours the desired state it finds", async () => {
  const fake = new FakePowerDriver(10);
  const host = new TestHost(fake);
  const first = new PowerWorker("n1", host, { ...timing, pollMs: 10_000 });
  await waitFor(() => host.states.at(-1) === "off", { what: "first poll", timeoutMs: 3000 });
  await first.stop();
  host.want("on"); // stored while no worker ran
  const second = new PowerWorker("n1", host, timing);
  try {
    await waitFor(() => host.states.at(-1) === "on", { what: "node on", timeoutMs: 3000 });
    assertEquals(fake.actions, ["on"]);
  } finally {
    await second.stop();
  }
});

Deno.test("nodin power loop: a new wish drops the action in flight and is acted on once the state shows", async () => {
  const fake = new FakePowerDriver(300);
  const host = new TestHost(fake);
  host.want("on");
  const worker = new PowerWorker("n1", host, { ...timing, pollMs: 100, softOffTimeoutMs: 2000 });
  try {
    await waitFor(() => host.states.at(-1) === "powering-on", { what: "powering on", timeoutMs: 3000 });
    host.want("off");
    worker.wake();
    // The fake finishes powering on, and the loop then turns it off again (a soft off, honoured).
    await waitFor(() => host.states.at(-1) === "off" && fake.actions.length === 2, {
      what: "node off",
      timeoutMs: 5000,
      describe: () => `${host.states} ${fake.actions} ${host.notes}`,
    });
    assertEquals(fake.actions, ["on", "soft-off"]);
  } finally {
    await worker.stop();
  }
});
