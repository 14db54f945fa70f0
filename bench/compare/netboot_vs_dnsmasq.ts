// A whole network boot, ctpf (necon + bofied) against dnsmasq as the DHCP server (bofied serving the same
// files either way), in the same run, alternating: EDK2's own UEFI PXE client (OVMF, TCG) from power-on to
// the initramfs marker, and from its first DISCOVER to the TFTP request for ipxe.efi (the DHCP phase,
// which is what the DHCP server decides). Reported per server: median and range over CTPF_BENCH_BOOTS
// boots (default 3). Needs root, qemu-system-x86, ovmf, ipxe, dnsmasq-base, tcpdump, gcc, dpkg-deb.
import { withLab } from "../../tests/harness/mod.ts";
import {
  bootEdk2,
  type BootRun,
  requireIpxeEfi,
  startCtpfOnTapLan,
  startDnsmasqOnTapLan,
} from "../../tests/e2e/edk2_boot.ts";
import { tapLan } from "../../tests/e2e/lan.ts";
import { requireFirmware } from "../../tests/e2e/machine.ts";

const boots = Number(Deno.env.get("CTPF_BENCH_BOOTS") ?? 3);
const http = "http://10.66.0.1:8470";
const servers = { ctpf: startCtpfOnTapLan, dnsmasq: startDnsmasqOnTapLan };

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return `median ${middle.toFixed(1)} s, range ${sorted[0].toFixed(1)}–${sorted.at(-1)!.toFixed(1)} s`;
}

requireFirmware("uefi-pxe");
requireIpxeEfi();
const runs: Record<keyof typeof servers, BootRun[]> = { ctpf: [], dnsmasq: [] };
for (let boot = 0; boot < boots; boot++) {
  // Alternate which goes first, so a slow patch of the machine does not land on one server only.
  const order = (boot % 2 ? ["dnsmasq", "ctpf"] : ["ctpf", "dnsmasq"]) as (keyof typeof servers)[];
  for (const name of order) {
    await withLab(async (lab) => {
      const ns = await tapLan(lab);
      const work = await Deno.makeTempDir({ prefix: `ctpf-bench-boot-${name}-` });
      try {
        runs[name].push(
          await bootEdk2({
            label: name,
            machineNs: ns,
            tap: "tap0",
            captureNs: ns,
            captureOn: "tap0",
            work,
            start: () => servers[name](ns, work, http),
          }),
        );
      } finally {
        await Deno.remove(work, { recursive: true });
      }
    });
  }
}
console.log(`\nEDK2 UEFI PXE boot to the initramfs marker, ${boots} boots each, alternating:`);
for (const [name, list] of Object.entries(runs)) {
  const dhcp = list.map((run) => run.exchange.discoverToTftp ?? NaN);
  console.log(
    `  ${name.padEnd(8)} whole boot ${summary(list.map((run) => run.seconds))}; DISCOVER → TFTP ${
      summary(dhcp)
    }`,
  );
}
