// Booting EDK2's own UEFI PXE client (OVMF, a virtio NIC without option ROM) on a test LAN, timed from
// power-on to the initramfs marker with the DHCP exchange captured: shared by the test that checks the
// exchange (uefi_pxe_test.ts) and the benchmark that compares boot times with dnsmasq's
// (bench/compare/netboot_vs_dnsmasq.ts).
import type { Netns } from "../harness/mod.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { type BootExchange, bootExchange, readCapture, startCapture } from "./capture.ts";
import { binaryIn, spawnDnsmasq, writeTapLanDhcpConfig } from "./lan.ts";
import { ipxeBootFiles, prepareBootTree, type PxeBootFiles, startMachine, waitForBoot } from "./machine.ts";

export const IPXE_EFI = "/usr/lib/ipxe/ipxe.efi";

export interface BootRun {
  label: string;
  seconds: number;
  exchange: BootExchange;
}

export function requireIpxeEfi(): void {
  try {
    Deno.statSync(IPXE_EFI);
  } catch {
    throw new Error(`the EDK2 PXE test needs ${IPXE_EFI} (apt-get install ipxe)`);
  }
}

/** The boot tree plus iPXE for the firmware to fetch over TFTP (unless the rules give it `files`). */
export async function prepareTree(
  data: string,
  httpBase: string,
  files: PxeBootFiles = ipxeBootFiles,
): Promise<void> {
  await prepareBootTree(data, httpBase, files);
  await Deno.copyFile(IPXE_EFI, `${data}/bofied/boot/ipxe.efi`);
}

/**
 * Boots the EDK2 machine on `tap` while `servers` run (started by `start`, stopped after), capturing on
 * `captureOn` in `captureNs`; returns the seconds from power-on to the initramfs marker and the exchange
 * (timed to the firmware's TFTP request for `bootFile`, ipxe.efi unless told).
 */
export async function bootEdk2(
  options: {
    label: string;
    machineNs: Netns;
    tap: string;
    captureNs: Netns;
    captureOn: string;
    work: string;
    bootFile?: string;
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
    const bootFile = options.bootFile ?? ipxeBootFiles.uefi;
    const exchange = bootExchange(readCapture(await Deno.readFile(pcap)), bootFile);
    console.log(
      `${options.label}: booted in ${seconds.toFixed(1)} s, DISCOVER → TFTP ${bootFile} ${
        exchange.discoverToTftp?.toFixed(1)
      } s\n  ${[...exchange.requests, ...exchange.replies].join("\n  ")}`,
    );
    return { label: options.label, seconds, exchange };
  } finally {
    await tcpdump.stop(5000);
  }
}

/**
 * tapLan's boot node as ctpf serves it: necon (DHCP) and bofied (TFTP, HTTP) in one process, its data
 * directory filled by `prepare` (by default the iPXE tree the EDK2 tests boot).
 */
export async function startCtpfOnTapLan(
  ns: Netns,
  work: string,
  http: string,
  prepare: (dataDir: string, httpBase: string) => Promise<void> = prepareTree,
) {
  await writeTapLanDhcpConfig(`${work}/necon.json`);
  await prepare(`${work}/necon-data`, http);
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
}

/** The same boot node with dnsmasq as the DHCP server (plain dhcp-boot) and bofied serving the same files. */
export async function startDnsmasqOnTapLan(ns: Netns, work: string, http: string) {
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
}
