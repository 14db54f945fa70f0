// EDK2's own UEFI PXE client (OVMF, a virtio NIC without option ROM) boots from ctpf over TFTP: firmware
// PXE → TFTP ipxe.efi (Debian's `ipxe` package) → iPXE fetches the script, kernel and initramfs over
// HTTP. Each test boots the same machine twice in the same run, once from ctpf and once from dnsmasq, and
// checks on the captured DHCP exchange that ctpf's answer is taken as the spec means it: no BINL request
// to port 4011 left unanswered and no fall back to UEFI HTTP boot (architecture 16 / "HTTPClient"): the
// two ways a wrong answer shows (74–131 s boots instead of ~35 s). How long the boots take is printed for a
// look, not asserted: speed is compared in benchmarks, never in tests on a machine of unknown load.
import { assert, assertStrictEquals } from "../support/assert.ts";
import { rootTest, withLab } from "../harness/mod.ts";
import { startBinary } from "../support/ctpf_process.ts";
import {
  bootEdk2,
  type BootRun,
  prepareTree,
  requireIpxeEfi,
  startCtpfOnTapLan,
  startDnsmasqOnTapLan,
} from "./edk2_boot.ts";
import { binaryIn, proxyLan, spawnDnsmasq, tapLan } from "./lan.ts";
import { requireFirmware } from "./machine.ts";

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
    `boot: ctpf ${ours.seconds.toFixed(1)} s (DISCOVER → TFTP ${
      ours.exchange.discoverToTftp?.toFixed(1)
    } s), ` +
      `dnsmasq ${dnsmasq.seconds.toFixed(1)} s (${dnsmasq.exchange.discoverToTftp?.toFixed(1)} s)`,
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
        const ours = await bootEdk2({
          ...common,
          label: "necon",
          start: () => startCtpfOnTapLan(ns, work, http),
        });
        // dnsmasq as the DHCP server with plain dhcp-boot, bofied serving the same files.
        const dnsmasq = await bootEdk2({
          ...common,
          label: "dnsmasq",
          start: () => startDnsmasqOnTapLan(ns, work, http),
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
