// The arm64 kinds on a test dockerd: an img build (GPT) is checked file by file without mounting
// (sfdisk, mtools, debugfs) and boots in qemu's arm64 virt board under Debian's U-Boot, whose distro boot
// finds the uboot kind's script on the FAT partition and boots Debian's arm64 kernel to the initramfs
// marker with the command line the parameters asked for. The identical second build is cached; an MBR
// build's table and files are checked; a uboot build's boot.scr is mkimage's own compile of its script.
import { join } from "node:path";
import { imgKind } from "../../core/builders/kinds/img.ts";
import { type DiskLayout, diskLayout } from "../../core/builders/kinds/img/layout.ts";
import { ubootKind, ubootScriptOf } from "../../core/builders/kinds/uboot.ts";
import { checkParameters } from "../../core/builders/kind.ts";
import type { BuildRecord } from "../../core/builders/model.ts";
import {
  type BuildersFixture,
  expectCachedRebuild,
  finished,
  startBuilders,
} from "../../core/builders/testing/fixture.ts";
import { arm64BootPayload, cmdlinePrefix } from "../e2e/arm64_payload.ts";
import { startArm64Machine } from "../e2e/arm64_machine.ts";
import { waitForBoot } from "../e2e/machine.ts";
import { rootTest, run } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { serveInputs } from "./support/inputs.ts";

const tools = [
  "dockerd",
  "debootstrap",
  "unshare",
  "qemu-system-aarch64",
  "sfdisk",
  "mdir",
  "debugfs",
  "mkimage",
];
const joinConfig = "# CTPF join configuration (test)\nserver = https://10.0.0.1:8470\ntoken = test-only\n";

/** The artifact's bytes, written to `dir` under its name. */
async function saveArtifact(fixture: BuildersFixture, build: BuildRecord, name: string, dir: string) {
  const artifact = build.artifacts.find((a) => a.name === name);
  assert(artifact, `${name} in ${build.artifacts.map((a) => a.name)}`);
  const content = await fixture.artifacts.read(artifact.sha256);
  await Deno.writeFile(join(dir, name), content!);
  return join(dir, name);
}

/** Two files' SHA-256, compared: large files differ in a line, not in a diff of megabytes. */
async function assertSameFile(actual: string, expected: string) {
  const digest = async (path: string) =>
    Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(path))))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
  assertEquals(
    `${actual}: ${await digest(actual)}`,
    `${actual}: ${await digest(expected)}`,
    `as ${expected}`,
  );
}

/** The image's partition table as sfdisk reads it, against the layout the kind meant. */
async function checkTable(image: string, layout: DiskLayout) {
  const table = JSON.parse((await run(["sfdisk", "--json", image])).stdout).partitiontable;
  const mib = 2048;
  const parts = table.partitions.map((p: Record<string, unknown>) => [p.start, p.size]);
  assertEquals(parts, [
    [layout.boot.startMiB * mib, layout.boot.sizeMiB * mib],
    [layout.root.startMiB * mib, layout.root.sizeMiB * mib],
  ]);
  if (layout.table === "gpt") {
    assertEquals(table.label, "gpt");
    assertEquals(table.partitions[0].type, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
    assertEquals(table.partitions[0].attrs, "LegacyBIOSBootable");
    assertEquals(table.partitions[1].uuid.toLowerCase(), layout.rootPartUuid);
  } else {
    assertEquals(table.label, "dos");
    assertEquals(`${table.id.slice(2)}-02`, layout.rootPartUuid);
    assertEquals([table.partitions[0].type, table.partitions[0].bootable, table.partitions[1].type], [
      "c",
      true,
      "83",
    ]);
  }
  assertEquals((await Deno.stat(image)).size, layout.totalMiB * 1024 * 1024);
}

/** A file of the root partition's ext4, read with debugfs at the partition's offset. */
async function rootFile(image: string, layout: DiskLayout, command: string): Promise<string> {
  const device = `${image}?offset=${layout.root.startMiB * 1024 * 1024}`;
  return (await run(["debugfs", "-R", command, device])).stdout;
}

/** From the build's start to its last step's end: the BuildKit part, without copying /out out. */
const buildKitMs = (build: BuildRecord) =>
  Math.max(...build.steps.map((s) => s.completed ?? 0)) - (build.startedAt ?? 0);

rootTest({
  name: "builders (arm64): img and uboot builds checked file by file; the GPT image boots under U-Boot",
  tools,
  sanitizeResources: false,
  fn: async () => {
    const payload = await arm64BootPayload();
    const work = await Deno.makeTempDir({ prefix: "ctpf-arm64-test-" });
    try {
      await Deno.mkdir(join(work, "inputs"));
      await Deno.copyFile(payload.kernel, join(work, "inputs/vmlinuz"));
      await Deno.copyFile(payload.initrd, join(work, "inputs/initrd.img"));
      await using inputs = serveInputs(join(work, "inputs"));
      await using fixture = await startBuilders([ubootKind, imgKind]);
      const { builders } = fixture;

      const parameters = {
        name: "arm64-lab",
        partitionTable: "gpt",
        bootSize: "32",
        rootSize: "8",
        kernelUrl: inputs.url("vmlinuz"),
        initrdUrl: inputs.url("initrd.img"),
        bootargs: "quiet panic=-1",
        joinUrl: "http://10.0.0.1:8470/join/arm64-lab",
        hostname: "arm64-lab",
        joinConfig,
      };
      const coldStart = performance.now();
      const first = await finished(builders, builders.create("img", parameters, "test").id);
      const coldMs = performance.now() - coldStart;
      assertEquals(first.state, "succeeded", `${first.error}\n${first.steps.map((s) => s.log).join("\n")}`);
      assertEquals(first.artifacts.map((a) => a.name).sort(), ["disk.img", "disk.img.zst"]);
      assertEquals(first.artifacts.map((a) => a.publishedPath).sort(), [
        "builds/arm64-lab/disk.img",
        "builds/arm64-lab/disk.img.zst",
      ]);
      const layout = diskLayout("arm64-lab", "gpt", 32, 8);
      const image = await saveArtifact(fixture, first, "disk.img", work);
      await assertSameFile(join(fixture.publisher.dir, "builds/arm64-lab/disk.img"), image);
      await checkTable(image, layout);

      // The boot partition: the inputs byte for byte, the script as the kind wrote it, compiled by mkimage.
      const fat = `${image}@@${layout.boot.startMiB}M`;
      const env = { MTOOLS_SKIP_CHECK: "1" };
      const listing = (await run(["mdir", "-b", "-i", fat, "::/"], { env })).stdout.split("\n").filter(
        Boolean,
      );
      assertEquals(listing.sort(), ["::/boot.cmd", "::/boot.scr", "::/initrd.img", "::/vmlinuz"]);
      for (const [name, original] of [["vmlinuz", payload.kernel], ["initrd.img", payload.initrd]]) {
        await run(["mcopy", "-i", fat, `::/${name}`, join(work, `copied-${name}`)], {
          env,
          timeoutMs: 30_000,
        });
        await assertSameFile(join(work, `copied-${name}`), original);
      }
      const bootCmd = (await run(["mtype", "-i", fat, "::/boot.cmd"], { env })).stdout;
      const template = await imgKind.template(checkParameters(imgKind, parameters));
      assertEquals(
        bootCmd,
        new TextDecoder().decode(template.files.find((f) => f.name === "boot.cmd")!.content),
      );
      await run(["mcopy", "-i", fat, "::/boot.scr", join(work, "boot.scr")], { env });
      await Deno.writeTextFile(join(work, "boot.cmd"), bootCmd);
      await hostMkimage(join(work, "boot.cmd"), join(work, "host-boot.scr"));
      assertEquals(
        await Deno.readFile(join(work, "boot.scr")),
        await Deno.readFile(join(work, "host-boot.scr")),
      );

      // The root partition: /etc with the host name and the join configuration, readable by root only.
      assertEquals(await rootFile(image, layout, "cat /etc/hostname"), "arm64-lab\n");
      assertEquals(await rootFile(image, layout, "cat /etc/ctpf/join.conf"), joinConfig);
      const joinStat = await rootFile(image, layout, "stat /etc/ctpf/join.conf");
      assert(/Mode:\s+0600/.test(joinStat) && /User:\s+0\s/.test(joinStat), joinStat);

      // The compressed copy is the same image.
      const zst = await saveArtifact(fixture, first, "disk.img.zst", work);
      await run(["zstd", "-q", "-d", "-f", "-o", join(work, "unpacked.img"), zst], { timeoutMs: 30_000 });
      await assertSameFile(join(work, "unpacked.img"), image);
      await Deno.remove(join(work, "unpacked.img"));

      // It boots: U-Boot's distro boot finds boot.scr on the FAT partition, loads the kernel and the
      // initramfs, and the kernel gets the command line the parameters made.
      const serial = join(work, "serial.log");
      const bootStart = performance.now();
      await using machine = startArm64Machine(image, serial);
      await waitForBoot(serial, () => machine.output());
      const bootMs = performance.now() - bootStart;
      const serialText = await Deno.readTextFile(serial);
      assert(serialText.includes("Found U-Boot script /boot.scr"), serialText);
      const cmdline = serialText.split("\n").find((line) => line.startsWith(cmdlinePrefix))?.slice(
        cmdlinePrefix.length,
      );
      assertEquals(
        cmdline?.trim(),
        `console=ttyAMA0,115200 root=PARTUUID=${layout.rootPartUuid} rootwait quiet panic=-1 ` +
          "ctpf.join=http://10.0.0.1:8470/join/arm64-lab",
      );

      // The identical second build: every Dockerfile step from the cache, the same artifacts.
      const { build: second, ms: warmMs } = await expectCachedRebuild(builders, "img", parameters, first, 4);

      // MBR, smallest sizes, xz only: the table, the FAT and the root checked, no boot (the same script).
      // xz is slow on a kernel (15-20 s of CPU for this one): a small file stands in for it here.
      const mbrStart = performance.now();
      const mbr = await finished(
        builders,
        builders.create("img", {
          ...parameters,
          name: "arm64-mbr",
          partitionTable: "mbr",
          bootSize: "8",
          rootSize: "8",
          kernelUrl: inputs.url("initrd.img"),
          formats: ["img.xz"],
        }, "test").id,
      );
      const mbrMs = performance.now() - mbrStart;
      assertEquals(mbr.state, "succeeded", mbr.error);
      assertEquals(mbr.artifacts.map((a) => a.name), ["disk.img.xz"]);
      await Deno.mkdir(join(work, "mbr"));
      const xz = await saveArtifact(fixture, mbr, "disk.img.xz", join(work, "mbr"));
      await run(["xz", "-d", "-f", xz], { timeoutMs: 30_000 });
      const mbrImage = join(work, "mbr/disk.img");
      const mbrLayout = diskLayout("arm64-mbr", "mbr", 8, 8);
      await checkTable(mbrImage, mbrLayout);
      const mbrFat = `${mbrImage}@@${mbrLayout.boot.startMiB}M`;
      const mbrCmd = (await run(["mtype", "-i", mbrFat, "::/boot.cmd"], { env })).stdout;
      assert(mbrCmd.includes(`root=PARTUUID=${mbrLayout.rootPartUuid} `), mbrCmd);
      assertEquals(await rootFile(mbrImage, mbrLayout, "cat /etc/ctpf/join.conf"), joinConfig);

      // uboot, network mode: boot.scr is mkimage's compile of the generated boot.cmd, published for bofied.
      const ubootParameters = {
        name: "arm64-net",
        source: "network",
        tftpServer: "10.0.0.1",
        kernel: "builds/arm64-net/vmlinuz",
        initrd: "builds/arm64-net/initrd.img",
        answerUrl: "http://10.0.0.1:8470/boot/preseed.cfg",
      };
      const ubootStart = performance.now();
      const uboot = await finished(builders, builders.create("uboot", ubootParameters, "test").id);
      const ubootMs = performance.now() - ubootStart;
      assertEquals(uboot.state, "succeeded", uboot.error);
      const script = ubootScriptOf(checkParameters(ubootKind, ubootParameters));
      assertEquals(await Deno.readTextFile(join(fixture.publisher.dir, "builds/arm64-net/boot.cmd")), script);
      await Deno.writeTextFile(join(work, "net.cmd"), script);
      await hostMkimage(join(work, "net.cmd"), join(work, "net.scr"));
      const published = join(fixture.publisher.dir, "builds/arm64-net/boot.scr");
      assertEquals(await Deno.readFile(published), await Deno.readFile(join(work, "net.scr")));
      const header = (await run(["dumpimage", "-l", published])).stdout;
      assert(/Image Type:\s+AArch64 Linux Script \(uncompressed\)/.test(header), header);

      console.log(
        `arm64: img (GPT, raw + zst) cold ${coldMs.toFixed(0)} ms (BuildKit ${buildKitMs(first)} ms, base ` +
          `image included), cached ${warmMs.toFixed(0)} ms (BuildKit ${buildKitMs(second)} ms; the rest is ` +
          `copying /out out); img (MBR, xz) ${mbrMs.toFixed(0)} ms; uboot ${ubootMs.toFixed(0)} ms; ` +
          `U-Boot to the marker ${bootMs.toFixed(0)} ms`,
      );
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});

/** The host's own mkimage compiles a boot script the way the build should have (fixed date). */
async function hostMkimage(script: string, out: string): Promise<void> {
  await run([
    "mkimage",
    "-A",
    "arm64",
    "-T",
    "script",
    "-C",
    "none",
    "-n",
    "ctpf-boot-script",
    "-d",
    script,
    out,
  ], {
    env: { SOURCE_DATE_EPOCH: "0" },
  });
}
