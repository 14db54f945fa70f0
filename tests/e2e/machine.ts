// Pieces both network-boot tests use: the boot tree bofied serves, and the diskless qemu machine.
import type { BackgroundProcess, Netns } from "../harness/mod.ts";
import { waitFor } from "../harness/wait.ts";
import { bootMarker, bootPayload } from "./boot_payload.ts";

/** Fills bofied's boot tree: kernel, initramfs and the iPXE script the default rules point iPXE to. */
export async function prepareBootTree(dataDir: string, httpBase: string): Promise<void> {
  const payload = await bootPayload();
  const boot = `${dataDir}/bofied/boot`;
  await Deno.mkdir(boot, { recursive: true });
  await Deno.copyFile(payload.kernel, `${boot}/vmlinuz`);
  await Deno.copyFile(payload.initrd, `${boot}/initrd.img`);
  await Deno.writeTextFile(
    `${boot}/boot.ipxe`,
    `#!ipxe\nkernel ${httpBase}/boot/vmlinuz console=ttyS0 panic=-1 initrd=initrd.img\n` +
      `initrd ${httpBase}/boot/initrd.img\nboot\n`,
  );
}

/**
 * A diskless machine on `tap` in `netns`, serial to a file: SeaBIOS with the iPXE PXE ROM of an e1000 NIC,
 * or OVMF (UEFI) with the iPXE EFI ROM.
 */
export function startMachine(netns: Netns, tap: string, serial: string, firmware: "bios" | "uefi" = "bios") {
  const rom = firmware === "bios" ? "pxe-e1000.rom" : "efi-e1000.rom";
  const uefi = firmware === "uefi"
    ? ["-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd"]
    : [];
  return netns.spawn([
    "qemu-system-x86_64",
    ...uefi,
    "-m",
    "512",
    "-nographic",
    "-no-reboot",
    "-monitor",
    "none",
    "-serial",
    `file:${serial}`,
    "-netdev",
    `tap,id=n0,ifname=${tap},script=no,downscript=no`,
    "-device",
    `e1000,netdev=n0,romfile=/usr/lib/ipxe/qemu/${rom}`,
    "-boot",
    "n",
  ]) satisfies BackgroundProcess;
}

/** Waits (TCG is slow: up to 150 s) for the initramfs marker on the machine's serial console. */
export async function waitForBoot(serial: string, context: () => string): Promise<void> {
  const read = () => Deno.readTextFile(serial).catch(() => "");
  await waitFor(async () => (await read()).includes(bootMarker), {
    what: "the initramfs marker on the serial console",
    timeoutMs: 150_000,
    intervalMs: 500,
    describe: async () => `serial:\n${(await read()).slice(-3000)}\n${context().slice(-3000)}`,
  });
}
