import {
  assertEquals,
  assertMatch,
  assertNotStrictEquals,
  assertStrictEquals,
  fail,
} from "../../testing/assert.ts";
import { dnsProbe } from "./dns.ts";
import { tftpProbe } from "./tftp.ts";
import { ntpProbe } from "./ntp.ts";
import { probeFor } from "./mod.ts";
import { canBind, exchange, freePort } from "./testdata/exchange.ts";
import { randomLoopbackAddress, startServer, which } from "./testdata/servers.ts";

// The probes against real servers on loopback: dnsmasq for DNS and TFTP, NTPsec's ntpd for NTP. Each test
// starts its server in the foreground, exchanges the probe like a scan would, and stops the server by its
// PID. A test is skipped when its server is not installed, or when it needs a privileged port (TFTP 69,
// NTP 123) that this process cannot bind. Nothing leaves 127.0.0.0/8: exchange() refuses other addresses,
// no server is given an upstream, and no DHCP is configured.

const dnsmasq = await which("dnsmasq");
const ntpd = await which("ntpd");
const isRoot = Deno.uid() === 0;

/** dnsmasq options shared by the tests: foreground, no config, no upstream, no hosts, no PID file. */
const DNSMASQ_BASE = [
  "--no-daemon",
  "--conf-file=/dev/null",
  "--no-resolv",
  "--no-hosts",
  "--pid-file",
  "--bind-interfaces",
];

async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "liwasc-udp-probes-" });
  try {
    return await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "live: dnsmasq answers the DNS probe with its version",
  ignore: dnsmasq === undefined,
  fn: async () => {
    const host = randomLoopbackAddress();
    const port = await freePort(host);
    await using server = startServer(dnsmasq!, [
      ...DNSMASQ_BASE,
      `--listen-address=${host}`,
      `--port=${port}`,
      "--log-facility=-",
    ]);
    const probe = dnsProbe();
    const answer = await exchange(probe, host, port).catch((error) => fail(`${error}\n${server.stderr()}`));
    const recognition = probe.recognise(answer.reply);
    assertStrictEquals(recognition?.service, "dns");
    assertMatch(recognition?.detail ?? "", /^version\.bind: dnsmasq-\d+\.\d+/);
    // The probe from probeFor, with its own random ID, is recognised too.
    const scanProbe = probeFor(53);
    assertStrictEquals(scanProbe.recognise((await exchange(scanProbe, host, port)).reply)?.service, "dns");
    // And a reply to one probe is not taken as a reply to another.
    assertStrictEquals(
      dnsProbe({ id: (answer.reply[0] << 8 | answer.reply[1]) ^ 1 }).recognise(answer.reply),
      undefined,
    );
  },
});

Deno.test({
  name: "live: dnsmasq's TFTP server answers the TFTP probe from a new port, ERROR or DATA",
  ignore: dnsmasq === undefined || !isRoot,
  fn: () =>
    withTempDir(async (dir) => {
      const host = randomLoopbackAddress();
      if (!await canBind(host, 69)) return console.warn(`skipped: ${host}:69 cannot be bound`);
      await Deno.writeTextFile(`${dir}/present.txt`, "hello\n");
      // dnsmasq drops root for "nobody", who must be able to read the root.
      await Deno.chmod(dir, 0o755);
      await Deno.chmod(`${dir}/present.txt`, 0o644);
      await using server = startServer(dnsmasq!, [
        ...DNSMASQ_BASE,
        `--listen-address=${host}`,
        "--port=0",
        "--enable-tftp",
        `--tftp-root=${dir}`,
        "--log-facility=-",
      ]);
      const missing = tftpProbe();
      const notFound = await exchange(missing, host, 69).catch((error) =>
        fail(`${error}\n${server.stderr()}`)
      );
      assertNotStrictEquals(notFound.fromPort, 69, "the server answers from its transfer ID");
      const recognised = missing.recognise(notFound.reply);
      assertStrictEquals(recognised?.service, "tftp");
      assertMatch(recognised?.detail ?? "", /^error 1: /);

      const present = tftpProbe({ filename: "present.txt" });
      const data = await exchange(present, host, 69);
      assertEquals(present.recognise(data.reply), {
        service: "tftp",
        detail: "the file exists: DATA block 1 of 6 bytes",
      });
    }),
});

Deno.test({
  name: "live: NTPsec's ntpd answers the NTP probe in server mode",
  ignore: ntpd === undefined || !isRoot,
  fn: () =>
    withTempDir(async (dir) => {
      // ntpd only listens on addresses configured on an interface, and port 123 is fixed: 127.0.0.1:123.
      if (!await canBind("127.0.0.1", 123)) return console.warn("skipped: 127.0.0.1:123 cannot be bound");
      // No time sources, so ntpd neither sends anything nor touches the clock; it only answers.
      await Deno.writeTextFile(`${dir}/ntp.conf`, "interface ignore all\ninterface listen 127.0.0.1\n");
      await using server = startServer(ntpd!, ["-n", "-c", `${dir}/ntp.conf`, "-l", `${dir}/ntpd.log`]);
      const probe = ntpProbe();
      const answer = await exchange(probe, "127.0.0.1", 123).catch(async (error) =>
        fail(
          `${error}\n${server.stderr()}\n${await Deno.readTextFile(`${dir}/ntpd.log`).catch(() => "")}`,
        )
      );
      assertStrictEquals(answer.fromPort, 123);
      const recognised = probe.recognise(answer.reply);
      assertStrictEquals(recognised?.service, "ntp");
      assertMatch(recognised?.detail ?? "", /^NTPv4 stratum \d+/);
      assertStrictEquals(
        ntpProbe().recognise(answer.reply),
        undefined,
        "another probe's nonce does not match",
      );
    }),
});
