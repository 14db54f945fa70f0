import { FieldErrors } from "../../errors/field_errors.ts";
import { assert, assertEquals, assertNotEquals, assertThrows } from "../../testing/assert.ts";
import { checkParameters } from "../kind.ts";
import { imgKind } from "./img.ts";
import { diskLayout } from "./img/layout.ts";
import { ubootScript } from "./uboot/script.ts";

const refused = (raw: unknown) =>
  (assertThrows(() => checkParameters(imgKind, raw), FieldErrors) as FieldErrors).errors;
const fieldsOf = (raw: unknown) => refused(raw).map((e) => e.field).sort();
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const kernelUrl = "http://127.0.0.1:8080/arm64/vmlinuz";

Deno.test("img layout: boot at 1 MiB, root after it, identifiers stable per name", () => {
  const gpt = diskLayout("lab", "gpt", 48, 16);
  assertEquals([gpt.boot, gpt.root, gpt.totalMiB], [{ startMiB: 1, sizeMiB: 48 }, {
    startMiB: 49,
    sizeMiB: 16,
  }, 66]);
  const lines = gpt.sfdisk.split("\n");
  assertEquals(lines[0], "label: gpt");
  assert(lines[4].startsWith("start=2048, size=98304, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B"), lines[4]);
  assert(lines[4].endsWith('name="boot", attrs="LegacyBIOSBootable"'), lines[4]);
  assert(lines[5].startsWith("start=100352, size=32768, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4"));
  assert(lines[5].includes(`uuid=${gpt.rootPartUuid.toUpperCase()}`), lines[5]);
  assertEquals(diskLayout("lab", "gpt", 48, 16), gpt, "the same name, the same disk");
  assertNotEquals(diskLayout("lab2", "gpt", 48, 16).rootPartUuid, gpt.rootPartUuid);
  assert(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(gpt.rootPartUuid));

  const mbr = diskLayout("lab", "mbr", 48, 16);
  const labelId = /label-id: 0x([0-9a-f]{8})/.exec(mbr.sfdisk)![1];
  assertEquals(mbr.rootPartUuid, `${labelId}-02`);
  assertEquals(mbr.sfdisk.split("\n").slice(3, 5), [
    "start=2048, size=98304, type=c, bootable",
    "start=100352, size=32768, type=83",
  ]);
  assert(/^[0-9a-f]{8}$/.test(mbr.fatVolumeId) && mbr.fatVolumeId !== "00000000");
});

Deno.test("img: the template fetches the inputs, boots them with the uboot kind's script, fills /etc", async () => {
  const parameters = checkParameters(imgKind, {
    name: "lab",
    kernelUrl,
    initrdUrl: "http://127.0.0.1:8080/arm64/initrd.img",
    bootargs: "quiet panic=-1",
    joinUrl: "http://10.0.0.1/join",
    joinConfig: "server = https://10.0.0.1\ntoken = abc",
  });
  assertEquals(parameters.partitionTable, "gpt");
  assertEquals([parameters.bootSize, parameters.rootSize, parameters.formats], ["64", "64", [
    "img",
    "img.zst",
  ]]);
  const template = await imgKind.template(parameters);
  const dockerfile = template.dockerfile.split("\n");
  assertEquals(dockerfile.slice(1, 3), [
    `ADD ${kernelUrl} /in/vmlinuz`,
    "ADD http://127.0.0.1:8080/arm64/initrd.img /in/initrd.img",
  ]);
  assert(dockerfile.includes("RUN sh /ctx/build-img.sh"));
  const files = Object.fromEntries(template.files.map((f) => [f.name, f]));
  const layout = diskLayout("lab", "gpt", 64, 64);
  assertEquals(decode(files["layout.sfdisk"].content), layout.sfdisk);
  assertEquals(
    decode(files["boot.cmd"].content),
    ubootScript({
      arch: "arm64",
      source: { from: "auto" },
      kernel: "/vmlinuz",
      initrd: "/initrd.img",
      bootargs: `console=ttyAMA0,115200 root=PARTUUID=${layout.rootPartUuid} rootwait quiet panic=-1 ` +
        "ctpf.join=http://10.0.0.1/join",
    }),
  );
  assertEquals(decode(files["hostname"].content), "ctpf-node\n");
  assertEquals(decode(files["join.conf"].content), "server = https://10.0.0.1\ntoken = abc\n");
  const script = decode(files["build-img.sh"].content);
  for (
    const line of [
      "truncate -s 130M disk.img",
      "mcopy -m -i disk.img@@1M boot/* ::/",
      "chmod 600 root/etc/ctpf/join.conf",
      "debugfs -w -f ctimes.debugfs root.ext4 > /dev/null",
      "dd if=root.ext4 of=disk.img bs=1M seek=65 conv=notrunc,sparse status=none",
      "zstd -q -T0 -9 -o /out/disk.img.zst /work/disk.img",
    ]
  ) assert(script.split("\n").includes(line), `missing: ${line}\n${script}`);
  assert(!script.includes("/out/disk.img.xz"));
  assert(/mkfs\.fat --invariant --offset 2048 -i [0-9a-f]{8} -n BOOT disk\.img 65536/.test(script), script);

  const bare = await imgKind.template(
    checkParameters(imgKind, { name: "lab", kernelUrl, formats: ["img.xz"] }),
  );
  assertEquals(bare.files.map((f) => f.name), [
    "layout.sfdisk",
    "boot.cmd",
    "hostname",
    "hosts",
    "build-img.sh",
  ]);
  assert(decode(bare.files[1].content).includes("booti ${kernel_addr_r} - ${fdtcontroladdr}"));
  assert(!decode(bare.files[4].content).includes("cp --sparse=always disk.img /out/disk.img"));
});

Deno.test("img: bad sizes, URLs, names and formats are refused before anything runs, each named", () => {
  assertEquals(fieldsOf({ name: "lab" }), ["parameters.kernelUrl"]);
  assertEquals(
    fieldsOf({
      name: "lab",
      partitionTable: "apm",
      bootSize: "64M",
      rootSize: "-1",
      kernelUrl: "http://x/${evil}",
      initrdUrl: "file:///etc/shadow",
      dtbUrl: "http://x/a b",
      hostname: "Bad_Host",
      joinConfig: "token\u0000",
      formats: ["img", "iso"],
    }),
    [
      "parameters.bootSize",
      "parameters.dtbUrl",
      "parameters.formats[1]",
      "parameters.hostname",
      "parameters.initrdUrl",
      "parameters.joinConfig",
      "parameters.kernelUrl",
      "parameters.partitionTable",
      "parameters.rootSize",
    ],
  );
  assertEquals(refused({ name: "lab", kernelUrl, bootSize: "4", rootSize: "99999" }), [
    { field: "parameters.bootSize", message: "from 8 to 4096 MiB" },
    { field: "parameters.rootSize", message: "from 8 to 16384 MiB" },
  ]);
  assertEquals(fieldsOf({ name: "lab", kernelUrl, bootSize: "512", rootSize: "1500" }), [
    "parameters.rootSize",
  ]);
  // Compressed only: the same sizes are fine (the zeros compress away).
  checkParameters(imgKind, {
    name: "lab",
    kernelUrl,
    bootSize: "512",
    rootSize: "1500",
    formats: ["img.zst"],
  });
});
