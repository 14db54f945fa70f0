import { assert, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";
import { ipmiSimEmu, runningQemu } from "./support/ipmi_sim.ts";
import { type Netns, rootTest, waitFor, withLab } from "../harness/mod.ts";
import { BMC_ADDRESS, bmcLab, FAKEBMC, listening } from "./support/bmc_lab.ts";
import { ipmiDriverFactory, type IpmiPowerDriver } from "../../core/nodin/power/ipmi/mod.ts";
import { type PowerDriver, PowerDriverError } from "../../core/nodin/power/driver.ts";

// The IPMI driver against real BMCs in namespaces the tests make: python3-pyghmi's fake BMC and
// openipmi's ipmi_sim, whose start command runs a diskless qemu (TCG) machine. The driver opens its
// socket in the console namespace (BmcReference.options.netns); ipmitool and freeipmi's ipmipower run
// there too and must see the state the driver set.

function driverFor(console: Netns, password: string, user = "admin", port = 623, timeoutMs = 1000) {
  return ipmiDriverFactory.create(
    {
      driver: "ipmi",
      address: `${BMC_ADDRESS}:${port}`,
      options: { netns: console.name, timeoutMs: `${timeoutMs}` },
    },
    { username: user, password },
  ) as IpmiPowerDriver;
}

/** The PowerDriverError `action` rejects with. */
async function driverError(action: Promise<unknown>): Promise<PowerDriverError> {
  const error = await assertRejects(() => action, PowerDriverError);
  return error as PowerDriverError;
}

async function ipmitool(console: Netns, password: string, port: number, ...args: string[]): Promise<string> {
  const result = await console.run([
    "ipmitool",
    "-I",
    "lanplus",
    "-C",
    "3",
    "-H",
    BMC_ADDRESS,
    "-p",
    `${port}`,
    "-U",
    "admin",
    "-P",
    password,
    ...args,
  ], { timeoutMs: 20_000 });
  return result.stdout.trim();
}

async function ipmipowerStat(
  console: Netns,
  password: string,
  port: number,
  extra: string[] = [],
): Promise<string> {
  const result = await console.run([
    "ipmipower",
    "-D",
    "LAN_2_0",
    "-h",
    `${BMC_ADDRESS}:${port}`,
    "-u",
    "admin",
    "-p",
    password,
    ...extra,
    "--stat",
  ], { timeoutMs: 20_000 });
  return result.stdout.trim();
}

async function expectState(driver: PowerDriver, state: "on" | "off"): Promise<void> {
  const observation = await waitFor(async () => {
    const seen = await driver.status();
    return seen.state === state && seen;
  }, { timeoutMs: 15_000, intervalMs: 200, what: `power ${state}` });
  assertMatch(
    observation.evidence,
    new RegExp(`Get Chassis Status from ${BMC_ADDRESS}:\\d+: power ${state}`),
  );
}

rootTest({
  name: "nodin ipmi: pyghmi's BMC is powered and booted by the driver; ipmitool and ipmipower agree",
  tools: ["ipmitool", "ipmipower", "ss"],
  fn: async () => {
    await withLab(async (lab) => {
      const { console, bmc } = await bmcLab(lab);
      const fake = bmc.spawn(["/usr/bin/python3", "-u", FAKEBMC, "--port", "623"]);
      await listening(bmc, 623, () => fake.output());
      const driver = driverFor(console, "password");

      await expectState(driver, "off");
      await driver.act("on");
      await expectState(driver, "on");
      assertStrictEquals(await ipmitool(console, "password", 623, "power", "status"), "Chassis Power is on");
      assertStrictEquals(await ipmipowerStat(console, "password", 623), `${BMC_ADDRESS}: on`);

      await driver.setBootDevice("pxe", { persistent: false, uefi: false });
      assertStrictEquals((await driver.bootDevice()).device, "pxe");
      assertMatch(await ipmitool(console, "password", 623, "chassis", "bootparam", "get", "5"), /Force PXE/);
      await driver.setBootDevice("disk", { persistent: true, uefi: false });
      assertStrictEquals((await driver.bootDevice()).device, "disk");
      assertMatch(
        await ipmitool(console, "password", 623, "chassis", "bootparam", "get", "5"),
        /Force Boot from default Hard-Drive/,
      );

      await driver.act("off");
      await expectState(driver, "off");
      assertStrictEquals(await ipmitool(console, "password", 623, "power", "status"), "Chassis Power is off");
      assertStrictEquals(await ipmipowerStat(console, "password", 623), `${BMC_ADDRESS}: off`);

      // ipmitool powers on; the driver sees it.
      await ipmitool(console, "password", 623, "power", "on");
      await expectState(driver, "on");
      await driver.act("soft-off");
      await expectState(driver, "off");
      // pyghmi's fake BMC has no power cycle: the BMC's refusal comes back as "unsupported", by name.
      const refused = await driverError(driver.act("cycle"));
      assertStrictEquals(refused.kind, "unsupported");
      assertMatch(refused.message, /invalid data field in request \(0xcc\)/);
    });
  },
});

rootTest({
  name: "nodin ipmi: wrong password and unknown user are 'auth' errors; status is unknown with the reason",
  tools: ["ss"],
  fn: async () => {
    await withLab(async (lab) => {
      const { console, bmc } = await bmcLab(lab);
      const fake = bmc.spawn(["/usr/bin/python3", "-u", FAKEBMC, "--port", "623"]);
      await listening(bmc, 623, () => fake.output());

      const wrong = driverFor(console, "not-the-password");
      const error = await driverError(wrong.act("on"));
      assertStrictEquals(error.kind, "auth");
      assertMatch(error.message, /RAKP 2 integrity check failed.*wrong password/);
      const observed = await wrong.status();
      assertStrictEquals(observed.state, "unknown");
      assertMatch(observed.evidence, /^IPMI auth: RAKP 2 integrity check failed/);

      // pyghmi drops RAKP 1 for a name it does not know; the driver says so rather than "unreachable".
      const stranger = driverFor(console, "password", "nobody", 623, 300);
      const unknownUser = await driverError(stranger.act("on"));
      assertStrictEquals(unknownUser.kind, "auth");
      assertMatch(unknownUser.message, /unauthorized name/);

      // The wrong logins changed nothing.
      assertStrictEquals((await driverFor(console, "password").status()).state, "off");
    });
  },
});

rootTest({
  name: "nodin ipmi: a BMC address where nothing answers is 'unknown' within the bounded time",
  fn: async () => {
    await withLab(async (lab) => {
      const { console } = await bmcLab(lab);
      // Nothing listens on 623 in the BMC namespace: ICMP port unreachable, reported at once.
      const closed = driverFor(console, "password");
      const refused = await closed.status();
      assertStrictEquals(refused.state, "unknown");
      assertMatch(refused.evidence, /^IPMI unreachable: .*ICMP port unreachable/);

      // A silent address (no host): three tries of 500 ms, then "unknown"; act() throws "unreachable".
      const silent = ipmiDriverFactory.create(
        {
          driver: "ipmi",
          address: "10.77.0.9",
          options: { netns: console.name, timeoutMs: "500", retries: "2" },
        },
        { username: "admin", password: "password" },
      );
      const started = performance.now();
      const observation = await silent.status();
      const elapsed = performance.now() - started;
      assertStrictEquals(observation.state, "unknown");
      assertMatch(observation.evidence, /no answer from BMC 10\.77\.0\.9:623 .* after 3 tries/);
      assert(elapsed >= 1400 && elapsed < 4000, `gave up after ${Math.round(elapsed)} ms`);
      const error = await driverError(silent.act("on"));
      assertStrictEquals(error.kind, "unreachable");
    });
  },
});

// openipmi's ipmi_sim, the recipe that works (2.0.33, Debian 12):
// - the emu command file must end with `mc_enable 0x20`: the LAN channel's UDP socket is opened when the
//   MC is enabled, not when `startlan` is read (without it ipmi_sim runs but listens nowhere);
// - `mc_add 0x20 0 no-device-sdrs …` for the BMC itself;
// - power goes through the system-interface channel's hardware operations, so the MC needs
//   `serial 15 127.0.0.1 <port> codec VM`: its "power on" runs `startcmd`, its "power off" sends SIGTERM
//   to that process (at once while no VM is connected to the serial port), and Get Chassis Status reports
//   "on" while the process lives. Without it every Chassis Control is 0xcc "invalid data field";
// - boot flags (Set System Boot Options, parameter 5) need a `chassis_control` program; without one they
//   are refused with 0xcc, and with one that program also takes over power (startcmd is then unused);
// - `-n` (no console on stdin) works once the LAN channel is enabled;
// - ipmi_sim answers Open Session with maximum privilege 0, which freeipmi's ipmipower refuses unless
//   told `-W opensesspriv`; ipmitool and this driver accept it.
function simConfig(dir: string, serialPort: number): { lanConf: string; emu: string } {
  const qemu = [
    "qemu-system-x86_64",
    "-machine pc,accel=tcg",
    "-m 64",
    "-nodefaults",
    "-no-user-config",
    "-display none",
    "-boot n",
    `-pidfile ${dir}/qemu.pid`,
  ].join(" ");
  const lanConf = `name "ctpf-test"
set_working_mc 0x20
  startlan 1
    addr 0.0.0.0 623
    priv_limit admin
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  serial 15 127.0.0.1 ${serialPort} codec VM
  startcmd "${qemu}"
  startnow false
  poweroff_wait 2
  kill_wait 2
  user 2 true "admin" "s3cret" admin 10 none md2 md5 straight
`;
  return { lanConf, emu: ipmiSimEmu };
}

rootTest({
  name: "nodin ipmi: ipmi_sim's start command runs a diskless qemu on power on and stops it on power off",
  tools: ["ipmi_sim", "ipmitool", "ipmipower", "qemu-system-x86_64", "ss"],
  fn: async () => {
    await withLab(async (lab) => {
      const { console, bmc } = await bmcLab(lab);
      const dir = await Deno.makeTempDir({ prefix: "ctpf-ipmi-sim-" });
      try {
        const { lanConf, emu } = simConfig(dir, 9002);
        await Deno.writeTextFile(`${dir}/lan.conf`, lanConf);
        await Deno.writeTextFile(`${dir}/emu.cmd`, emu);
        await Deno.mkdir(`${dir}/state`);
        const sim = bmc.spawn(
          ["ipmi_sim", "-n", "-c", `${dir}/lan.conf`, "-f", `${dir}/emu.cmd`, "-s", `${dir}/state`],
        );
        await listening(bmc, 623, () => sim.output());
        const driver = driverFor(console, "s3cret");

        await expectState(driver, "off");
        assertStrictEquals(await runningQemu(dir), undefined);
        await driver.act("on");
        await expectState(driver, "on");
        const pid = await waitFor(() => runningQemu(dir), {
          timeoutMs: 15_000,
          what: "qemu started by ipmi_sim",
        });
        assertStrictEquals(await ipmitool(console, "s3cret", 623, "power", "status"), "Chassis Power is on");
        assertStrictEquals(
          await ipmipowerStat(console, "s3cret", 623, ["-W", "opensesspriv"]),
          `${BMC_ADDRESS}: on`,
        );

        // This configuration has no chassis control program, so ipmi_sim cannot keep boot flags.
        const noBootFlags = await driverError(
          driver.setBootDevice("pxe", { persistent: false, uefi: false }),
        );
        assertStrictEquals(noBootFlags.kind, "unsupported");
        assertMatch(noBootFlags.message, /Set System Boot Options.*0xcc/);

        await driver.act("off");
        await waitFor(async () => (await runningQemu(dir)) === undefined, {
          timeoutMs: 15_000,
          what: `qemu ${pid} stopped by ipmi_sim`,
        });
        await expectState(driver, "off");
        assertStrictEquals(await ipmitool(console, "s3cret", 623, "power", "status"), "Chassis Power is off");
        assertStrictEquals(
          await ipmipowerStat(console, "s3cret", 623, ["-W", "opensesspriv"]),
          `${BMC_ADDRESS}: off`,
        );

        // ipmi_sim names an unknown user in RAKP 2 (status 0x0d) and proves a wrong password wrong.
        const stranger = await driverError(driverFor(console, "s3cret", "nobody").act("on"));
        assertStrictEquals(stranger.kind, "auth");
        assertMatch(stranger.message, /unauthorized name \(0x0d\): it has no user "nobody"/);
        const wrong = await driverError(driverFor(console, "wrong").act("on"));
        assertStrictEquals(wrong.kind, "auth");
        assertMatch(wrong.message, /RAKP 2 integrity check failed/);
        assertStrictEquals(await runningQemu(dir), undefined);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});
