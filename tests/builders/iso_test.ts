// The iso kind on a test dockerd: one build from a kernel and initrd served as URLs makes a hybrid ISO that
// boots from a CD-ROM drive under SeaBIOS (ISOLINUX) and OVMF (GRUB from the El Torito EFI image), and as
// a disk under SeaBIOS, to the initramfs marker with the command line as given; the join configuration is
// in the ISO (read back with xorriso) and appended to the initrd as a cpio archive (read back with GNU
// cpio). Bad parameters are refused before anything runs and the identical second build is a cache hit.
import { join } from "node:path";
import { FieldErrors } from "../../core/errors/field_errors.ts";
import { isoKind } from "../../core/builders/kinds/iso.ts";
import { finished, startBuilders } from "../../core/builders/testing/fixture.ts";
import { rootTest } from "../harness/mod.ts";
import { assert, assertEquals, assertThrows } from "../support/assert.ts";
import { bootPayload } from "../e2e/boot_payload.ts";
import { allBooted, bootFromMedia, kernelCommandLine } from "../e2e/media_machine.ts";
import { serveInputs } from "./support/inputs.ts";

const joinConfig = "# CTPF join configuration\nurl=https://10.66.0.1:8470/join\ntoken=ctpf-test-token\n";
// "$" and ";" mean something to GRUB's parser: the kernel must get them as they are.
const cmdline = "console=ttyS0 panic=-1 ctpf.probe=$x;y";

async function run(command: string, args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(command, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  if (stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(stdin);
    await writer.close();
  }
  const output = await child.output();
  if (!output.success) {
    throw new Error(`${command} ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
  }
  return output.stdout;
}

rootTest({
  name:
    "builders (iso): hybrid ISO boots from CD under SeaBIOS and OVMF and as a disk; join config in ISO and initrd",
  tools: [
    "dockerd",
    "debootstrap",
    "unshare",
    "qemu-system-x86_64",
    "gcc",
    "dpkg-deb",
    "xorriso",
    "cpio",
    "mdir",
  ],
  sanitizeResources: false,
  fn: async () => {
    const work = await Deno.makeTempDir({ prefix: "ctpf-iso-" });
    try {
      const payload = await bootPayload();
      const inputsDir = join(work, "inputs");
      await Deno.mkdir(inputsDir);
      await Deno.copyFile(payload.kernel, join(inputsDir, "vmlinuz"));
      await Deno.copyFile(payload.initrd, join(inputsDir, "initrd.img"));
      await using inputs = serveInputs(inputsDir);
      await using fixture = await startBuilders([isoKind]);
      const { builders } = fixture;

      const refused = assertThrows(
        () =>
          builders.create("iso", {
            name: "remote",
            kernelUrl: inputs.url("vmlinuz"),
            cmdline: "console='ttyS0'",
            joinConfig: "token=\u001b[2J",
          }, "test"),
        FieldErrors,
      ) as FieldErrors;
      assertEquals(refused.errors.map((e) => e.field), [
        "parameters.initrdUrl",
        "parameters.cmdline",
        "parameters.joinConfig",
      ]);
      assertEquals(builders.list(), []);

      const parameters = {
        name: "remote",
        kernelUrl: inputs.url("vmlinuz"),
        initrdUrl: inputs.url("initrd.img"),
        cmdline,
        joinConfig,
        timeout: "1",
      };
      const coldStart = performance.now();
      const first = await finished(builders, builders.create("iso", parameters, "test").id);
      const coldMs = performance.now() - coldStart;
      assertEquals(first.state, "succeeded", `${first.error}\n${first.steps.map((s) => s.log).join("\n")}`);
      assertEquals(first.artifacts.map((a) => [a.name, a.publishedPath]), [[
        "remote.iso",
        "builds/remote/remote.iso",
      ]]);
      const base = first.steps.find((s) => s.name.startsWith("[base]"))!;
      assert(base.log.includes("docker import"), "a fresh daemon: the cold build imports the base image");
      const iso = join(fixture.publisher.dir, "builds/remote/remote.iso");

      // What the ISO holds, read back without mounting it.
      const listing = new TextDecoder().decode(
        await run("xorriso", ["-indev", iso, "-find", "/ctpf", "-type", "f"]),
      );
      assertEquals(
        listing.trim().split("\n").map((line) => line.replaceAll("'", "")).sort(),
        ["/ctpf/initrd.img", "/ctpf/join.conf", "/ctpf/vmlinuz"],
      );
      const extracted = join(work, "extracted");
      await run("xorriso", [
        "-osirrox",
        "on",
        "-indev",
        iso,
        "-extract",
        "/ctpf",
        extracted,
        "-extract",
        "/boot/efiboot.img",
        join(work, "efiboot.img"),
      ]);
      assertEquals(await Deno.readTextFile(join(extracted, "join.conf")), joinConfig);
      assertEquals(await Deno.readFile(join(extracted, "vmlinuz")), await Deno.readFile(payload.kernel));
      // The initrd: the original, zeros to a 4-byte boundary, then a newc archive with ctpf/join.conf.
      const original = await Deno.readFile(payload.initrd);
      const combined = await Deno.readFile(join(extracted, "initrd.img"));
      assertEquals(combined.subarray(0, original.length), original);
      const appendedAt = Math.ceil(original.length / 4) * 4;
      assert(combined.subarray(original.length, appendedAt).every((byte) => byte === 0), "zero padding");
      const appended = combined.subarray(appendedAt);
      assertEquals(
        new TextDecoder().decode(await run("cpio", ["-t", "--quiet"], appended)).trim().split("\n"),
        ["ctpf", "ctpf/join.conf"],
      );
      assertEquals(
        new TextDecoder().decode(
          await run("cpio", ["-i", "--quiet", "--to-stdout", "ctpf/join.conf"], appended),
        ),
        joinConfig,
      );
      // The UEFI loader where firmware looks for it, in the El Torito FAT image.
      const efi = new TextDecoder().decode(
        await run("mdir", ["-b", "-i", join(work, "efiboot.img"), "::/EFI/BOOT"]),
      );
      assert(efi.includes("BOOTX64.EFI"), efi);

      // The three machines boot side by side.
      const ways = [
        ["cdrom", "bios", "ISOLINUX"],
        ["cdrom", "uefi", "GRUB"],
        ["disk", "bios", "ISOLINUX"],
      ] as const;
      const booted = await allBooted(
        ways.map(([as, firmware]) =>
          bootFromMedia({ image: iso, as, firmware, work, label: `iso-${as}-${firmware}` })
        ),
      );
      const boots: string[] = [];
      ways.forEach(([as, firmware, loader], i) => {
        const label = `iso-${as}-${firmware}`;
        const boot = booted[i];
        boots.push(`${label} ${boot.seconds.toFixed(1)} s`);
        const expected = loader === "ISOLINUX"
          ? `BOOT_IMAGE=/ctpf/vmlinuz ${cmdline} initrd=/ctpf/initrd.img`
          : `BOOT_IMAGE=/ctpf/vmlinuz ${cmdline}`;
        assertEquals(kernelCommandLine(boot.serial), expected, label);
        // The kernel took both archives of the initrd (a broken second one is reported on the console).
        assert(!boot.serial.includes("Initramfs unpacking failed"), `${label}:\n${boot.serial.slice(-2000)}`);
      });

      const warmStart = performance.now();
      const second = await finished(builders, builders.create("iso", parameters, "test").id);
      const warmMs = performance.now() - warmStart;
      assertEquals(second.state, "succeeded", second.error);
      const steps = second.steps.filter((s) =>
        /^\[(build|stage-\d) \d+\/\d+\]/.test(s.name) && !s.name.includes("] FROM ")
      );
      assert(steps.length >= 5 && steps.every((s) => s.cached), JSON.stringify(second.steps, null, 1));
      assertEquals(second.artifacts.map((a) => a.sha256), first.artifacts.map((a) => a.sha256));
      assertEquals([inputs.gets.get("/vmlinuz"), inputs.gets.get("/initrd.img")], [1, 1], "revalidated only");
      console.log(
        `iso: cold build ${coldMs.toFixed(0)} ms (base image import included), cached ${
          warmMs.toFixed(0)
        } ms; ` +
          `boots side by side: ${boots.join(", ")}`,
      );
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
