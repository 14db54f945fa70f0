// What both ipmi_sim set-ups share (the power test's startcmd one and the end-to-end test's chassis_control
// one): the emulator command file, and telling whether the qemu it started is still running.

/** The emu command file: one BMC at 0x20. `mc_enable` is what makes ipmi_sim open its LAN socket. */
export const ipmiSimEmu = [
  "mc_setbmc 0x20",
  "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr",
  "mc_enable 0x20",
  "",
].join("\n");

/** The qemu started for the BMC (PID recorded in `<dir>/qemu.pid`), while it is alive; never matched by name. */
export async function runningQemu(dir: string): Promise<number | undefined> {
  try {
    const pid = Number((await Deno.readTextFile(`${dir}/qemu.pid`)).trim());
    const command = await Deno.readTextFile(`/proc/${pid}/cmdline`);
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // A zombie (state Z) has exited: its parent reaps it on its next SIGCHLD turn.
    return command.includes("qemu-system-x86_64") && !/^\d+ \(.*\) Z/.test(stat) ? pid : undefined;
  } catch {
    return undefined;
  }
}
