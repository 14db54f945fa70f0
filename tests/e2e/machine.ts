// Pieces the boot tests share: the boot tree and rules bofied serves, the diskless qemu machine, and one
// that boots an ISO from a CD-ROM drive.
import type { BackgroundProcess, Netns } from "../harness/mod.ts";
import { waitFor } from "../harness/wait.ts";
import { bootMarker, bootPayload } from "./boot_payload.ts";

/** What firmware PXE clients are given over TFTP, by their architecture (option 93). */
export interface PxeBootFiles {
  /** Architecture 0 (BIOS). */
  bios: string;
  /** Architectures 6, 7 and 9 (UEFI IA32 and x64). */
  uefi: string;
  /**
   * Whether iPXE (user class "iPXE", the NIC ROMs' PXE client too) gets the test's script over HTTP
   * (the default) rather than these files like any firmware.
   */
  ipxeScript?: boolean;
}

export const ipxeBootFiles: PxeBootFiles = { bios: "undionly.kpxe", uefi: "ipxe.efi" };

/**
 * The boot rules these tests bring (an operator's own rules file, which bofied never replaces): firmware
 * PXE gets `files` (iPXE unless a test boots another loader) over TFTP, iPXE gets the test's script over
 * HTTP unless told otherwise. bofied's default rules send iPXE to the starter menu over TFTP instead
 * (tests/e2e/starter_menu_test.ts).
 */
export function pxeRules(files: PxeBootFiles = ipxeBootFiles): string {
  const script = files.ipxeScript === false
    ? ""
    : `\n  if (facts.userClass === "iPXE") return { httpUrl: \`\${base}/boot.ipxe\` };`;
  return `export default function bootRules(facts) {
  const base = \`http://\${facts.server}:\${facts.httpPort}/boot\`;${script}
  if (facts.arch.id === 0) return { tftpFile: ${JSON.stringify(files.bios)} };
  if ([6, 7, 9].includes(facts.arch.id)) return { tftpFile: ${JSON.stringify(files.uefi)} };
  if (facts.arch.id === 16) return { httpUrl: \`\${base}/ipxe.efi\` };
  return { ignore: true };
}
`;
}

/**
 * Fills bofied's boot tree (kernel, initramfs, the iPXE script) and its rules, which point iPXE there and
 * firmware to `files`.
 */
export async function prepareBootTree(
  dataDir: string,
  httpBase: string,
  files: PxeBootFiles = ipxeBootFiles,
): Promise<void> {
  const payload = await bootPayload();
  const boot = `${dataDir}/bofied/boot`;
  await Deno.mkdir(boot, { recursive: true });
  await Deno.writeTextFile(`${dataDir}/bofied/rules.ts`, pxeRules(files));
  await Deno.copyFile(payload.kernel, `${boot}/vmlinuz`);
  await Deno.copyFile(payload.initrd, `${boot}/initrd.img`);
  await Deno.writeTextFile(
    `${boot}/boot.ipxe`,
    `#!ipxe\nkernel ${httpBase}/boot/vmlinuz console=ttyS0 panic=-1 initrd=initrd.img\n` +
      `initrd ${httpBase}/boot/initrd.img\nboot\n`,
  );
}

/**
 * The machines the network-boot tests start, by what runs their PXE client:
 * - "bios": SeaBIOS with the iPXE PXE ROM of an e1000 NIC;
 * - "uefi": OVMF with the iPXE EFI ROM of an e1000 NIC;
 * - "uefi-pxe": OVMF with a virtio NIC that carries no option ROM (`romfile=`), so EDK2's own UEFI PXE
 *   client (UefiPxeBcDxe) asks for the boot file and fetches it over TFTP.
 */
export type Firmware = "bios" | "uefi" | "uefi-pxe";

/** OVMF's code, read-only on a pflash drive; with no variable store OVMF keeps its settings in memory. */
export const OVMF = "/usr/share/OVMF/OVMF_CODE.fd";

function firmwareArgs(firmware: Firmware): { files: Record<string, string>; args: string[] } {
  if (firmware === "uefi-pxe") {
    return {
      files: { [OVMF]: "ovmf" },
      args: [
        "-drive",
        `if=pflash,format=raw,readonly=on,file=${OVMF}`,
        "-device",
        "virtio-net-pci,netdev=n0,romfile=",
      ],
    };
  }
  const rom = `/usr/lib/ipxe/qemu/${firmware === "bios" ? "pxe-e1000.rom" : "efi-e1000.rom"}`;
  const uefi = firmware === "uefi" ? ["-drive", `if=pflash,format=raw,readonly=on,file=${OVMF}`] : [];
  return {
    files: { [rom]: "ipxe-qemu", ...(firmware === "uefi" ? { [OVMF]: "ovmf" } : {}) },
    args: [...uefi, "-device", `e1000,netdev=n0,romfile=${rom}`],
  };
}

/**
 * Throws at once, naming the file and its Debian package, when firmware or a ROM is missing: qemu
 * would otherwise start and the test would wait out its whole boot timeout.
 */
export function requireFirmware(firmware: Firmware): void {
  for (const [file, pkg] of Object.entries(firmwareArgs(firmware).files)) {
    try {
      Deno.statSync(file);
    } catch {
      throw new Error(`${firmware} machine needs ${file} (apt-get install ${pkg})`);
    }
  }
}

/** What every test machine shares: 512 MiB, no display, no reboot, serial console to a file. */
/** qemu (TCG) with 512 MiB, no display or monitor, the serial console into a file. */
export function machineArgs(serial: string, qemu = "qemu-system-x86_64"): string[] {
  return [
    qemu,
    "-m",
    "512",
    "-nographic",
    "-no-reboot",
    "-monitor",
    "none",
    "-serial",
    `file:${serial}`,
  ];
}

/** A diskless machine on `tap` in `netns`, serial to a file. */
export function startMachine(netns: Netns, tap: string, serial: string, firmware: Firmware = "bios") {
  requireFirmware(firmware);
  return netns.spawn([
    ...machineArgs(serial),
    "-netdev",
    `tap,id=n0,ifname=${tap},script=no,downscript=no`,
    ...firmwareArgs(firmware).args,
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
