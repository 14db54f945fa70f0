// The ipxe kind's artifacts boot: a prebuilt build is published straight into the boot tree that ctpf
// (necon + bofied) serves on a test LAN, and machines reach the initramfs marker only through the built
// script, which is what chains the kernel's script. UEFI: EDK2's own PXE client fetches the built ipxe.efi
// over TFTP. BIOS: qemu's only BIOS PXE clients are iPXE ROMs, so the ROM runs the built script; the built
// undionly.kpxe is Debian's byte for byte (core/builders/builders_test.ts) and is not chained here, since an
// iPXE ROM handed an iPXE loader asks again with the same user class and bofied's facts cannot tell them apart.
import { assert, assertEquals } from "../../core/testing/assert.ts";
import { finished, startBuilders } from "../../core/builders/testing/fixture.ts";
import { rootTest, withLab } from "../harness/mod.ts";
import { prepareTree, requireIpxeEfi, startCtpfOnTapLan } from "../e2e/edk2_boot.ts";
import { tapLan } from "../e2e/lan.ts";
import { type Firmware, requireFirmware, startMachine, waitForBoot } from "../e2e/machine.ts";

/** Firmware PXE gets the built ipxe.efi; any iPXE gets the built script, which chains bofied's boot.ipxe. */
const builtIpxeRules = `export default function bootRules(facts) {
  const base = \`http://\${facts.server}:\${facts.httpPort}/boot\`;
  if (facts.userClass === "iPXE") return { httpUrl: \`\${base}/builds/lab/boot.ipxe\` };
  if (facts.arch.id === 7) return { tftpFile: "builds/lab/ipxe.efi" };
  return { ignore: true };
}
`;

rootTest({
  name: "builders: the ipxe build's loader and script boot a UEFI (EDK2 PXE) and a BIOS machine through " +
    "necon + bofied to the initramfs marker",
  tools: ["dockerd", "debootstrap", "unshare", "qemu-system-x86_64", "gcc", "dpkg-deb"],
  sanitizeResources: false,
  async fn() {
    requireFirmware("uefi-pxe");
    requireFirmware("bios");
    requireIpxeEfi();
    await withLab(async (lab) => {
      const ns = await tapLan(lab);
      const work = await Deno.makeTempDir({ prefix: "ctpf-ipxe-boot-" });
      try {
        const http = "http://10.66.0.1:8470";
        await using fixture = await startBuilders([], `${work}/necon-data/bofied/boot`);
        const build = await finished(
          fixture.builders,
          fixture.builders.create("ipxe", {
            name: "lab",
            targets: ["ipxe.efi", "undionly.kpxe"],
            chainUrl: `${http}/boot/boot.ipxe`,
          }, "test").id,
        );
        assertEquals(build.state, "succeeded", build.error);
        await using ctpf = await startCtpfOnTapLan(ns, work, http, async (dataDir, httpBase) => {
          await prepareTree(dataDir, httpBase);
          await Deno.writeTextFile(`${dataDir}/bofied/rules.ts`, builtIpxeRules);
        });
        for (const firmware of ["uefi-pxe", "bios"] as Firmware[]) {
          const serial = `${work}/${firmware}-serial.log`;
          const started = performance.now();
          const machine = startMachine(ns, "tap0", serial, firmware);
          try {
            await waitForBoot(serial, () => ctpf.output());
          } finally {
            await machine.stop(5000);
          }
          console.log(
            `${firmware}: booted through the built ipxe in ${
              ((performance.now() - started) / 1000).toFixed(1)
            } s`,
          );
        }
        const served = ctpf.output();
        assert(served.includes("builds/lab/ipxe.efi"), "EDK2 fetched the built ipxe.efi over TFTP");
        assert(served.includes("builds/lab/boot.ipxe"), "iPXE fetched the built script");
      } finally {
        await Deno.remove(work, { recursive: true });
      }
    });
  },
});
