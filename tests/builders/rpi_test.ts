// The rpi builder on a test dockerd, patching a synthetic Raspberry Pi OS image (named as such: a real
// one cannot be fetched here) with Debian's real raspi-firmware blobs: the patched image is checked
// partition by partition and file by file (sfdisk, mtools, debugfs: contents, modes, owners), it still
// "mounts" (e2fsck -fn and fsck.fat -n clean), and a second identical build comes from the cache.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { JOIN_UNIT, joinScript } from "../../core/builders/kinds/rpi/files.ts";
import { RASPI_FIRMWARE_DEB, RASPI_FIRMWARE_SHA256 } from "../../core/builders/kinds/rpi.ts";
import {
  expectCachedRebuild,
  finished,
  startBuilders,
  testBaseImageCache,
} from "../../core/builders/testing/fixture.ts";
import { rootTest } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { serveInputs } from "./support/inputs.ts";
import {
  BOOT_START,
  ROOT_SECTORS,
  ROOT_START,
  run,
  SECTOR,
  syntheticBoot,
  syntheticDtbs,
  syntheticKernelDeb,
  syntheticRaspberryPiOsImage,
  syntheticRoot,
} from "./support/rpi_image.ts";

const keys = [
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq1cYtHCOlnY2oHJ6Hc5vOV3Aw1cHp9a3Wb1LmE5UHb admin@ctpf",
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= ops",
];
const hash =
  "$6$ctpfsalt$Zq9vV0m1m3bq3l5mQmM8xXo5n0xv8v3r1q4JQy1m9jY2b7kG3zR0pYc8xWq1dLk0Vb2n6s4t8u0w2y4A6C8E0.";

/** Debian's raspi-firmware .deb, fetched once into the test cache (it is what the build ADDs). */
async function firmwareDeb(): Promise<string> {
  const file = join(testBaseImageCache, "..", "raspi-firmware.deb");
  const sha256 = async () => createHash("sha256").update(await Deno.readFile(file)).digest("hex");
  if (await Deno.stat(file).then(() => true, () => false) && await sha256() === RASPI_FIRMWARE_SHA256) {
    return file;
  }
  await Deno.mkdir(join(file, ".."), { recursive: true });
  const response = await fetch(RASPI_FIRMWARE_DEB, { signal: AbortSignal.timeout(120_000) });
  await Deno.writeFile(file, new Uint8Array(await response.arrayBuffer()));
  assertEquals(await sha256(), RASPI_FIRMWARE_SHA256);
  return file;
}

rootTest({
  name:
    "builders (rpi): a synthetic Raspberry Pi OS image patched without mounts, checked file by file; cached",
  tools: [
    "dockerd",
    "debootstrap",
    "unshare",
    "sfdisk",
    "mcopy",
    "mkfs.fat",
    "fsck.fat",
    "debugfs",
    "dpkg-deb",
    "xz",
    "zstd",
  ],
  sanitizeResources: false,
  fn: async () => {
    const work = await Deno.makeTempDir({ prefix: "ctpf-rpi-" });
    try {
      const source = await syntheticRaspberryPiOsImage(work);
      await syntheticKernelDeb(work);
      const sourceTable = await run(["sfdisk", "-d", source]);
      await run(["xz", "-T0", "-1", "-k", source]);
      await using inputs = serveInputs(work);
      await using fixture = await startBuilders();
      const { builders } = fixture;
      const parameters = {
        name: "pi-lab",
        imageUrl: inputs.url("raspios-synthetic.img.xz"),
        hostname: "pi-node-1",
        user: "pi",
        passwordHash: hash,
        sshKeys: keys.join("; "),
        configTxt: "enable_uart=1;dtoverlay=disable-bt",
        usercfgTxt: "gpu_mem=16",
        cmdline: "console=ttyAMA0,115200 ctpf.node=pi-node-1",
        joinUrl: "http://10.0.0.1:8470/boot/join.sh",
        dtbDebUrl: inputs.url("linux-image-synthetic-arm64.deb"),
        outputs: ["img.zst"],
      };

      const coldStart = performance.now();
      const first = await finished(builders, builders.create("rpi", parameters, "test").id);
      const coldMs = performance.now() - coldStart;
      assertEquals(first.state, "succeeded", first.error);
      assertEquals(first.artifacts.map((a) => a.name), ["pi-lab.img.zst"]);
      console.log(`rpi: cold build ${coldMs.toFixed(0)} ms (base image included if not cached)`);
      for (const step of first.steps) {
        console.log(
          `  ${((step.completed ?? 0) - (step.started ?? 0)).toString().padStart(6)} ms ${step.name}`,
        );
      }
      // The published image, unpacked for the checks (a plain .img output is the same file uncompressed).
      const image = join(work, "pi-lab.img");
      await run([
        "zstd",
        "-q",
        "-d",
        "-o",
        image,
        join(fixture.publisher.dir, "builds/pi-lab/pi-lab.img.zst"),
      ]);
      // The partitions as they were (the dump names the device: compare past it).
      const table = await run(["sfdisk", "-d", image]);
      assertEquals(table.replaceAll(image, "IMG"), sourceTable.replaceAll(source, "IMG"));

      // The boot partition, file by file.
      const fat = `${image}@@${BOOT_START * SECTOR}`;
      const boot = async (name: string) => await run(["mtype", "-i", fat, `::${name}`]);
      const listed = (await run(["mdir", "-b", "-i", fat, "::"])).trim().split("\n").map((l) =>
        l.replace("::/", "")
      );
      const deb = await firmwareDeb();
      const firmware = join(work, "firmware");
      await run(["dpkg-deb", "-x", deb, firmware]);
      const blobs = [...Deno.readDirSync(join(firmware, "usr/lib/raspi-firmware"))].map((e) => e.name);
      assert(blobs.includes("fixup4.dat") && blobs.includes("start4.elf"), blobs.join(" "));
      assertEquals(
        listed.sort(),
        [
          ...Object.keys(syntheticBoot),
          ...blobs.filter((b) => b !== "start4.elf"),
          "bcm2710-rpi-3-b.dtb",
          "usercfg.txt",
          "userconf.txt",
          "ssh",
        ].sort(),
      );
      assertEquals(
        await boot("config.txt"),
        syntheticBoot["config.txt"] +
          "\n# Added by CTPF's rpi builder\n[all]\nenable_uart=1\ndtoverlay=disable-bt\n[all]\ninclude usercfg.txt\n",
      );
      assertEquals(await boot("usercfg.txt"), "gpu_mem=16\n");
      assertEquals(
        await boot("cmdline.txt"),
        `${syntheticBoot["cmdline.txt"].trim()} ${parameters.cmdline}\n`,
      );
      assertEquals(await boot("userconf.txt"), `pi:${hash}\n`);
      assertEquals(await boot("ssh"), "");
      // Blobs the image lacked come from Debian's package byte for byte; those it had stay its own.
      const bytes = async (name: string) =>
        new Uint8Array(
          (await new Deno.Command("mtype", {
            args: ["-i", fat, `::${name}`],
            env: { MTOOLS_SKIP_CHECK: "1" },
          })
            .output()).stdout,
        );
      assertEquals(
        await bytes("fixup4.dat"),
        await Deno.readFile(join(firmware, "usr/lib/raspi-firmware/fixup4.dat")),
      );
      assertEquals(
        await bytes("bootcode.bin"),
        await Deno.readFile(join(firmware, "usr/lib/raspi-firmware/bootcode.bin")),
      );
      assertEquals(await boot("start4.elf"), syntheticBoot["start4.elf"]);
      assertEquals(await boot("bcm2711-rpi-4-b.dtb"), syntheticBoot["bcm2711-rpi-4-b.dtb"]);
      assertEquals(await boot("bcm2710-rpi-3-b.dtb"), syntheticDtbs["bcm2710-rpi-3-b.dtb"]);
      assertEquals(await boot("kernel8.img"), syntheticBoot["kernel8.img"]);

      // The root file system, from a copy of its partition: contents, modes and owners.
      const root = join(work, "root.ext4");
      await run([
        "dd",
        `if=${image}`,
        `of=${root}`,
        "bs=1M",
        "iflag=skip_bytes,count_bytes",
        `skip=${ROOT_START * SECTOR}`,
        `count=${ROOT_SECTORS * SECTOR}`,
        "status=none",
      ]);
      const cat = (path: string) => run(["debugfs", "-R", `cat ${path}`, root]);
      const stat = async (path: string) => {
        const text = await run(["debugfs", "-R", `stat ${path}`, root]);
        const [, type, mode] = /Type: (\S+)\s+Mode:\s+(\d+)/.exec(text)!;
        const [, user, group] = /User:\s+(\d+)\s+Group:\s+(\d+)/.exec(text)!;
        return `${type} ${mode} ${user}:${group}`;
      };
      assertEquals(await cat("/etc/hostname"), "pi-node-1\n");
      assertEquals(
        await cat("/etc/hosts"),
        syntheticRoot["etc/hosts"].replace("127.0.1.1\t\traspberrypi", "127.0.1.1\tpi-node-1"),
      );
      assertEquals(await stat("/home/pi/.ssh"), "directory 0700 1000:1000");
      assertEquals(await stat("/home/pi/.ssh/authorized_keys"), "regular 0600 1000:1000");
      assertEquals(await cat("/home/pi/.ssh/authorized_keys"), keys.map((k) => `${k}\n`).join(""));
      assertEquals(await stat("/home/pi"), "directory 0755 1000:1000");
      assertEquals(await stat("/etc/hostname"), "regular 0644 0:0");
      assertEquals(await stat("/usr/local/sbin/ctpf-join"), "regular 0755 0:0");
      assertEquals(await cat("/usr/local/sbin/ctpf-join"), joinScript(parameters.joinUrl));
      assertEquals(await cat("/etc/systemd/system/ctpf-join.service"), JOIN_UNIT);
      const link = await run([
        "debugfs",
        "-R",
        "stat /etc/systemd/system/multi-user.target.wants/ctpf-join.service",
        root,
      ]);
      assert(
        link.includes("Type: symlink") &&
          link.includes('Fast link dest: "/etc/systemd/system/ctpf-join.service"'),
        link,
      );
      assertEquals(await cat("/home/pi/.bashrc"), syntheticRoot["home/pi/.bashrc"]);

      // Both file systems are clean: a Raspberry Pi mounts them as they are.
      await run(["e2fsck", "-fn", root]);
      const bootCopy = join(work, "boot.fat");
      await run([
        "dd",
        `if=${image}`,
        `of=${bootCopy}`,
        "bs=1M",
        "iflag=skip_bytes,count_bytes",
        `skip=${BOOT_START * SECTOR}`,
        `count=${(ROOT_START - BOOT_START) * SECTOR}`,
        "status=none",
      ]);
      await run(["fsck.fat", "-n", bootCopy]);

      const { ms: warmMs } = await expectCachedRebuild(builders, "rpi", parameters, first, 4);

      // Something that is not a partitioned image fails in the patch step, saying so.
      await Deno.writeFile(join(work, "blank.img"), new Uint8Array(1024 * 1024));
      const blank = await finished(
        builders,
        builders.create("rpi", { name: "blank", imageUrl: inputs.url("blank.img"), blobs: "none" }, "test")
          .id,
      );
      assertEquals(blank.state, "failed");
      const patchLog = blank.steps.find((s) => s.name.includes("RUN /ctx/patch.sh"))?.log ?? "";
      assert(/rpi: (no partition table|not an MBR)/.test(patchLog), patchLog);
      assertEquals(blank.artifacts, []);
      console.log(
        `rpi: cold ${coldMs.toFixed(0)} ms (base image included if not cached), cached ${
          warmMs.toFixed(0)
        } ms`,
      );
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
