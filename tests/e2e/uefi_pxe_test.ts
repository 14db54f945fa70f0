// EDK2's own UEFI PXE client (OVMF, a virtio NIC without option ROM) boots from ctpf over TFTP: firmware
// PXE → TFTP ipxe.efi (Debian's `ipxe` package) → iPXE fetches the script, kernel and initramfs over
// HTTP. Each test boots the same machine twice in the same run, once from ctpf and once from dnsmasq, and
// checks on the captured DHCP exchange that ctpf's answer is taken as the spec means it: no BINL request
// to port 4011 left unanswered and no fall back to UEFI HTTP boot (architecture 16 / "HTTPClient"): the
// two ways a wrong answer shows (74–131 s boots instead of ~35 s). How long the boots take is printed for a
// look, not asserted: speed is compared in benchmarks, never in tests on a machine of unknown load.
import { assert, assertStrictEquals } from "../support/assert.ts";
import { type Netns, rootTest, withLab } from "../harness/mod.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { type BootExchange, bootExchange, readCapture, startCapture } from "./capture.ts";
import { binaryIn, proxyLan, spawnDnsmasq, tapLan, writeTapLanDhcpConfig } from "./lan.ts";
import { prepareBootTree, requireFirmware, startMachine, waitForBoot } from "./machine.ts";

const IPXE_EFI = "/usr/lib/ipxe/ipxe.efi";

interface BootRun {
  label: string;
  seconds: number;
  exchange: BootExchange;
}

function requireIpxeEfi(): void {
  try {
    Deno.statSync(IPXE_EFI);
  } catch {
    throw new Error(`the EDK2 PXE test needs ${IPXE_EFI} (apt-get install ipxe)`);
  }
}

/** The boot tree plus iPXE for the firmware to fetch over TFTP. */
async function prepareTree(data: string, httpBase: string): Promise<void> {
  await prepareBootTree(data, httpBase);
  await Deno.copyFile(IPXE_EFI, `${data}/bofied/boot/ipxe.efi`);
}

/**
 * Boots the EDK2 machine on `tap` while `servers` run (started by `start`, stopped after), capturing on
 * `captureOn` in `captureNs`; returns the seconds from power-on to the initramfs marker and the exchange.
 */
async function bootEdk2(
  options: {
    label: string;
    machineNs: Netns;
    tap: string;
    captureNs: Netns;
    captureOn: string;
    work: string;
    start: () => Promise<{ output(): string } & AsyncDisposable>;
  },
): Promise<BootRun> {
  const pcap = `${options.work}/${options.label}.pcap`;
  const tcpdump = await startCapture(options.captureNs, options.captureOn, pcap);
  try {
    await using servers = await options.start();
    const serial = `${options.work}/${options.label}-serial.log`;
    const started = performance.now();
    const qemu = startMachine(options.machineNs, options.tap, serial, "uefi-pxe");
    try {
      await waitForBoot(serial, () => `${options.label}:\n${servers.output()}`);
    } finally {
      await qemu.stop(5000);
    }
    const seconds = (performance.now() - started) / 1000;
    await tcpdump.stop(5000);
    const exchange = bootExchange(readCapture(await Deno.readFile(pcap)), "ipxe.efi");
    console.log(
      `${options.label}: booted in ${seconds.toFixed(1)} s, DISCOVER → TFTP ipxe.efi ${
        exchange.discoverToTftp?.toFixed(1)
      } s\n  ${[...exchange.requests, ...exchange.replies].join("\n  ")}`,
    );
    return { label: options.label, seconds, exchange };
  } finally {
    await tcpdump.stop(5000);
  }
}

/** Both servers answered so that EDK2 went straight to TFTP (no 4011 retries, no HTTP-boot fallback). */
function assertTftpBoot(ours: BootRun, dnsmasq: BootRun, port4011: number): void {
  for (const run of [ours, dnsmasq]) {
    const detail = `${run.label}:\n${[...run.exchange.requests, ...run.exchange.replies].join("\n")}`;
    assertStrictEquals(run.exchange.httpClientRequests, 0, `no UEFI HTTP-boot fallback; ${detail}`);
    assert(run.exchange.discoverToTftp !== undefined, `firmware fetched ipxe.efi over TFTP; ${detail}`);
  }
  assertStrictEquals(
    ours.exchange.port4011Requests,
    port4011,
    `port 4011 requests:\n${ours.exchange.requests.join("\n")}`,
  );
  console.log(
    `boot: ctpf ${ours.seconds.toFixed(1)} s (DISCOVER → TFTP ${ours.exchange.discoverToTftp} s), ` +
      `dnsmasq ${dnsmasq.seconds.toFixed(1)} s (${dnsmasq.exchange.discoverToTftp} s)`,
  );
}

rootTest({
  name: "netboot (EDK2 PXE): necon + bofied boot OVMF's own PXE client over TFTP, like dnsmasq",
  tools: ["qemu-system-x86_64", "gcc", "dpkg-deb", "dnsmasq", "tcpdump"],
  async fn() {
    requireFirmware("uefi-pxe");
    requireIpxeEfi();
    await withLab(async (lab) => {
      const ns = await tapLan(lab);
      const work = await Deno.makeTempDir({ prefix: "ctpf-edk2-pxe-" });
      try {
        const http = "http://10.66.0.1:8470";
        const common = { machineNs: ns, tap: "tap0", captureNs: ns, captureOn: "tap0", work };
        await writeTapLanDhcpConfig(`${work}/necon.json`);
        const ours = await bootEdk2({
          ...common,
          label: "necon",
          start: async () => {
            await prepareTree(`${work}/necon-data`, http);
            return await startBinary({
              command: binaryIn(ns, "ctpf.ts"),
              args: [
                "--listen",
                "10.66.0.1:8470",
                "--tftp-listen",
                "10.66.0.1:69",
                "--dhcp-config",
                `${work}/necon.json`,
                "--log-level",
                "debug",
              ],
              dataDir: `${work}/necon-data`,
            });
          },
        });
        // dnsmasq as the DHCP server with plain dhcp-boot, bofied serving the same files.
        const dnsmasq = await bootEdk2({
          ...common,
          label: "dnsmasq",
          start: async () => {
            await prepareTree(`${work}/dnsmasq-data`, http);
            const bofied = await startBinary({
              command: binaryIn(ns, "bofied.ts"),
              args: ["--listen", "10.66.0.1:8470", "--tftp-listen", "10.66.0.1:69"],
              dataDir: `${work}/dnsmasq-data`,
            });
            const dhcp = spawnDnsmasq(ns, work, "dnsmasq", [
              "--interface=tap0",
              "--dhcp-range=10.66.0.100,10.66.0.150,1h",
              "--dhcp-userclass=set:ipxe,iPXE",
              "--dhcp-boot=tag:!ipxe,ipxe.efi,,10.66.0.1",
              `--dhcp-boot=tag:ipxe,${http}/boot/boot.ipxe`,
            ]);
            return {
              output: () => `bofied:\n${bofied.output()}\ndnsmasq:\n${dhcp.output()}`,
              async [Symbol.asyncDispose]() {
                await dhcp.stop();
                await bofied[Symbol.asyncDispose]();
              },
            };
          },
        });
        assertTftpBoot(ours, dnsmasq, 0);
      } finally {
        await Deno.remove(work, { recursive: true });
      }
    });
  },
});

rootTest({
  name: "netboot (EDK2 PXE): bofied's proxyDHCP beside dnsmasq boots OVMF's own PXE client, like dnsmasq's",
  tools: ["qemu-system-x86_64", "gcc", "dpkg-deb", "dnsmasq", "tcpdump"],
  async fn() {
    requireFirmware("uefi-pxe");
    requireIpxeEfi();
    await withLab(async (lab) => {
      // One LAN bridge: the machine's TAP, someone else's DHCP server (addresses only) and the boot node.
      const { lan, dhcp, boot } = await proxyLan(lab);
      const work = await Deno.makeTempDir({ prefix: "ctpf-edk2-proxy-" });
      const addresses = spawnDnsmasq(dhcp, work, "addresses", [
        "--interface=eth0",
        "--dhcp-range=10.67.0.100,10.67.0.150,1h",
      ]);
      try {
        const http = "http://10.67.0.1:8470";
        const common = { machineNs: lan, tap: "tap0", captureNs: lan, captureOn: "br0", work };
        const ours = await bootEdk2({
          ...common,
          label: "bofied-proxy",
          start: async () => {
            await prepareTree(`${work}/bofied-data`, http);
            return await startBinary({
              command: binaryIn(boot, "bofied.ts"),
              args: [
                "--listen",
                "10.67.0.1:8470",
                "--tftp-listen",
                "10.67.0.1:69",
                "--proxy-dhcp-interface",
                "eth0",
                "--log-level",
                "debug",
              ],
              dataDir: `${work}/bofied-data`,
            });
          },
        });
        // dnsmasq as the proxyDHCP server (pxe-service), bofied serving the same files.
        const dnsmasq = await bootEdk2({
          ...common,
          label: "dnsmasq-proxy",
          start: async () => {
            await prepareTree(`${work}/dnsmasq-data`, http);
            const bofied = await startBinary({
              command: binaryIn(boot, "bofied.ts"),
              args: ["--listen", "10.67.0.1:8470", "--tftp-listen", "10.67.0.1:69"],
              dataDir: `${work}/dnsmasq-data`,
            });
            const proxy = spawnDnsmasq(boot, work, "dnsmasq-proxy", [
              "--interface=eth0",
              "--dhcp-range=10.67.0.0,proxy",
              "--dhcp-userclass=set:ipxe,iPXE",
              "--pxe-service=tag:!ipxe,x86-64_EFI,ctpf,ipxe.efi,10.67.0.1",
              `--pxe-service=tag:ipxe,x86-64_EFI,ctpf,${http}/boot/boot.ipxe,10.67.0.1`,
            ]);
            return {
              output: () => `bofied:\n${bofied.output()}\ndnsmasq proxy:\n${proxy.output()}`,
              async [Symbol.asyncDispose]() {
                await proxy.stop();
                await bofied[Symbol.asyncDispose]();
              },
            };
          },
        });
        // EDK2 asks a BINL proxy offer's port 4011 once and bofied answers at once (dnsmasq's proxy
        // offers UEFI clients BINL too); an unanswered request would show as retries.
        assertTftpBoot(ours, dnsmasq, 1);
      } finally {
        await addresses.stop();
        await Deno.remove(work, { recursive: true });
      }
    });
  },
});
