// nodin's Wake-on-LAN driver against the real liwasc binary in a scanning lab (tests/liwasc/lab.ts): a
// host liwasc has never seen is "unknown", one that answers its ARP scan is "on", one that stopped
// answering is "off"; "on" is a wake whose magic packets tshark decodes on the host's side, "powering-on"
// until the host's link comes up and it answers liwasc's ARP, then "on". liwasc's API lives on the
// scanner namespace's loopback: two socat hops through a unix socket bring it to this process's loopback.
import { startCapture, wakeOnLanFilter } from "../support/tcpdump.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../support/assert.ts";
import { rootTest, sleep, spawnBackground, waitFor, withLab } from "../harness/mod.ts";
import { PowerDriverError } from "../../core/nodin/power/driver.ts";
import { wolFactory } from "../../core/nodin/power/wol/driver.ts";
import { callLiwasc, startLiwasc, startScanLab } from "../liwasc/lab.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

rootTest({
  name:
    "wol driver: liwasc's scans give unknown, on and off; a wake (tshark sees it) goes powering-on, then on",
  tools: ["socat", "tcpdump", "tshark"],
  async fn() {
    await withLab(async (lab) => {
      const scanLab = await startScanLab(lab, 1);
      const [host] = scanLab.hosts;
      await using liwasc = await startLiwasc(scanLab.scanner, scanLab.scannerInterface);
      const dir = await Deno.makeTempDir({ prefix: "ctpf-wol-" });
      try {
        scanLab.scanner.spawn([
          "socat",
          `UNIX-LISTEN:${dir}/liwasc.sock,fork`,
          `TCP:${new URL(liwasc.url).host}`,
        ]);
        const port = freePort();
        await using bridge = spawnBackground([
          "socat",
          `TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr`,
          `UNIX-CONNECT:${dir}/liwasc.sock`,
        ]);
        const address = `http://127.0.0.1:${port}`;
        const bmc = {
          driver: "wol",
          address,
          options: { mac: host.mac.toUpperCase(), ip: host.ip, wakeTimeoutSeconds: "20", timeoutMs: "5000" },
        };
        const driver = wolFactory.create(bmc, { extra: { token: liwasc.adminToken } });
        const never = await waitFor(async () => {
          const observed = await driver.status();
          return observed.evidence.startsWith("unreachable") ? false : observed;
        }, { timeoutMs: 10_000, what: "liwasc through the socat bridge", describe: () => bridge.output() });
        assertStrictEquals(never.state, "unknown");
        assertStrictEquals(never.evidence, `liwasc ${address} has not seen ${host.mac}`);

        const scan = async () => {
          const { scan } = await callLiwasc(scanLab.scanner, liwasc, "StartNodeScan", { interface: "scan0" });
          await waitFor(async () => {
            const { scans } = await callLiwasc(scanLab.scanner, liwasc, "ListScans", {});
            return scans.find((s: { id: string; state: string }) =>
              s.id === scan.id && s.state !== "SCAN_STATE_RUNNING"
            );
          }, { timeoutMs: 20_000, intervalMs: 200, what: "node scan done" });
        };
        await scan();
        const on = await driver.status();
        assertStrictEquals(on.state, "on");
        assertMatch(on.evidence, new RegExp(`^liwasc: ${host.mac} answered ARP in the latest scan of scan0`));

        // The machine goes to sleep: its link drops and the next scan finds nobody.
        await scanLab.hostsNetns.ip("link", "set", host.name, "down");
        await scan();
        const off = await driver.status();
        assertStrictEquals(off.state, "off");
        assertMatch(off.evidence, /^liwasc: no ARP answer from .* in the latest scan \(last seen /);

        const capture = `${dir}/wol.pcap`;
        const tcpdump = await startCapture(scanLab.hostsNetns, "hosts0", capture, wakeOnLanFilter);

        await driver.act("on");
        const waking = await driver.status();
        assertStrictEquals(waking.state, "powering-on");
        assertMatch(
          waking.evidence,
          /^liwasc wake [0-9a-f-]+: \d+ magic packets, \d+ ARP probes, no answer yet$/,
        );
        // The machine boots 1.5 s after the magic packet.
        await sleep(1500);
        await scanLab.hostsNetns.ip("link", "set", host.name, "up");
        const awake = await waitFor(async () => {
          const observed = await driver.status();
          return observed.state === "on" ? observed : false;
        }, { timeoutMs: 15_000, intervalMs: 200, what: "on after the wake" });
        assertMatch(
          awake.evidence,
          new RegExp(`^liwasc wake [0-9a-f-]+: ${host.ip.replaceAll(".", "\\.")} answered ARP at `),
        );

        await sleep(200);
        await tcpdump.stop();
        const decoded = await new Deno.Command("tshark", {
          args: ["-r", capture, "-Y", "wol", "-V"],
          stdout: "piped",
          stderr: "null",
        })
          .output();
        const text = new TextDecoder().decode(decoded.stdout);
        const macs = [...text.matchAll(/^Wake On LAN, MAC: .*\((\S+)\)/gm)].map((match) => match[1]);
        assert(macs.length >= 1, text.slice(0, 1000));
        assertEquals(new Set(macs), new Set([host.mac]));

        const cannot = await assertRejects(() => driver.act("off"), PowerDriverError);
        assertStrictEquals((cannot as PowerDriverError).kind, "unsupported");

        // A wrong token: an auth error for the action, "unknown" with evidence for status.
        const stranger = wolFactory.create(bmc, { extra: { token: "not-the-token" } });
        const refused = await assertRejects(() => stranger.act("on"), PowerDriverError);
        assertStrictEquals((refused as PowerDriverError).kind, "auth", refused.message);
        const unseen = await stranger.status();
        assertStrictEquals(unseen.state, "unknown");
        assertMatch(unseen.evidence, /^auth: liwasc .* GetNode: /);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});

Deno.test("wol driver: an unreachable liwasc is 'unknown' with evidence, and a wake says unreachable", async () => {
  const port = freePort();
  const driver = wolFactory.create({
    driver: "wol",
    address: `http://127.0.0.1:${port}`,
    options: { mac: "52:54:00:00:00:01", timeoutMs: "2000" },
  }, { extra: { token: "t" } });
  const started = performance.now();
  const observed = await driver.status();
  assertStrictEquals(observed.state, "unknown");
  assertMatch(observed.evidence, new RegExp(`^unreachable: liwasc http://127\\.0\\.0\\.1:${port} GetNode: `));
  const error = await assertRejects(() => driver.act("on"), PowerDriverError);
  assertStrictEquals((error as PowerDriverError).kind, "unreachable", error.message);
  assert(performance.now() - started < 5_000, "bounded");
  let kind: string | undefined;
  try {
    wolFactory.create({ driver: "wol", address: "http://127.0.0.1:1", options: { mac: "nope" } }, undefined);
  } catch (error) {
    kind = (error as PowerDriverError).kind;
  }
  assertStrictEquals(kind, "unsupported");
});
