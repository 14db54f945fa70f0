// A machine that boots from a medium instead of the network: an ISO in a CD-ROM drive, or the same file
// as a disk (a hybrid ISO written to a USB stick), under SeaBIOS or OVMF, with no NIC at all (so no
// firmware waits on PXE); timed from power-on to the initramfs marker.
import { spawnBackground } from "../harness/mod.ts";
import { machineArgs, OVMF, waitForBoot } from "./machine.ts";

export interface MediaBoot {
  seconds: number;
  /** Everything the machine printed on its serial console. */
  serial: string;
}

export async function bootFromMedia(options: {
  image: string;
  as: "cdrom" | "disk";
  firmware: "bios" | "uefi";
  work: string;
  label: string;
}): Promise<MediaBoot> {
  if (options.firmware === "uefi") Deno.statSync(OVMF);
  const serial = `${options.work}/${options.label}-serial.log`;
  // virtio-blk, which SeaBIOS and OVMF both boot from, may be read-only (an IDE disk may not).
  const drive = options.as === "cdrom"
    ? ["-drive", `file=${options.image},media=cdrom,readonly=on,format=raw`, "-boot", "d"]
    : ["-drive", `file=${options.image},if=virtio,readonly=on,format=raw`];
  const firmware = options.firmware === "uefi"
    ? ["-drive", `if=pflash,format=raw,readonly=on,file=${OVMF}`]
    : [];
  const started = performance.now();
  const qemu = spawnBackground([
    ...machineArgs(serial),
    "-nic",
    "none",
    ...firmware,
    ...drive,
  ]);
  try {
    await waitForBoot(serial, () => `${options.label} qemu:\n${qemu.output()}`);
  } finally {
    await qemu.stop(5000);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${options.label}: booted to the marker in ${seconds.toFixed(1)} s`);
  return { seconds, serial: await Deno.readTextFile(serial) };
}

/** The kernel's own "Command line: ..." line from a serial log. */
export function kernelCommandLine(serial: string): string | undefined {
  return /Command line: (.*)/.exec(serial)?.[1]?.trim();
}

/**
 * Waits for every boot (machines booted side by side share the wait), then throws the first failure:
 * none is left running behind a test that has already moved on.
 */
export async function allBooted<T extends unknown[]>(boots: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(boots);
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}
