import { FieldErrors } from "../../errors/field_errors.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { checkParameters } from "../kind.ts";
import { ubootKind, ubootScriptOf } from "./uboot.ts";

const refused = (raw: unknown) =>
  (assertThrows(() => checkParameters(ubootKind, raw), FieldErrors) as FieldErrors).errors;
const fieldsOf = (raw: unknown) => refused(raw).map((e) => e.field);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("uboot: a disk script loads from distro boot's partition and boots with the board's FDT", async () => {
  const parameters = checkParameters(ubootKind, {
    name: "board",
    kernel: "/vmlinuz",
    initrd: "/initrd.img",
    joinUrl: "http://${serverip}/join/board.conf",
  });
  assertEquals(parameters, {
    name: "board",
    arch: "arm64",
    source: "disk",
    device: "auto",
    kernel: "/vmlinuz",
    initrd: "/initrd.img",
    console: "ttyAMA0,115200",
    joinUrl: "http://${serverip}/join/board.conf",
  });
  const script = ubootScriptOf(parameters);
  const lines = script.split("\n");
  assert(
    lines.includes(
      "load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} /vmlinuz" +
        " || setenv ctpf_loaded no",
    ),
    script,
  );
  assert(lines.includes("setenv ctpf_initrd_size ${filesize}"), script);
  assert(
    lines.includes('setenv bootargs "console=ttyAMA0,115200 ctpf.join=http://${serverip}/join/board.conf"'),
  );
  assert(
    lines.includes(
      'if test "${ctpf_loaded}" = yes; then booti ${kernel_addr_r} ${ramdisk_addr_r}:${ctpf_initrd_size} ' +
        "${fdtcontroladdr}; fi",
    ),
    script,
  );
  const template = await ubootKind.template(parameters);
  assertEquals(template.files.map((f) => [f.name, decode(f.content)]), [["boot.cmd", script]]);
  assert(template.dockerfile.includes("mkimage -A arm64 -T script -C none"), template.dockerfile);
  assert(template.dockerfile.includes("/out/boot.cmd /out/boot.scr"), template.dockerfile);
  assert(template.dockerfile.endsWith("FROM scratch\nCOPY --from=build /out /out\n"));
  assertEquals(ubootKind.publishFolder(parameters, "id"), "builds/board");
});

Deno.test("uboot: a network script asks DHCP, then TFTP, for kernel and device tree; arm boots a zImage", async () => {
  const parameters = checkParameters(ubootKind, {
    name: "netboard",
    arch: "arm",
    source: "network",
    tftpServer: "10.0.0.1",
    kernel: "builds/netboard/zImage",
    fdt: "builds/netboard/board.dtb",
    console: "ttyS2,1500000",
    bootargs: "quiet ds=nocloud-net;s=http://${serverip}/seed/",
    answerUrl: "http://10.0.0.1/preseed.cfg",
  });
  const lines = ubootScriptOf(parameters).split("\n");
  for (
    const line of [
      "dhcp || setenv ctpf_loaded no",
      "setenv serverip 10.0.0.1",
      "tftpboot ${kernel_addr_r} builds/netboard/zImage || setenv ctpf_loaded no",
      "tftpboot ${fdt_addr_r} builds/netboard/board.dtb || setenv ctpf_loaded no",
      'setenv bootargs "console=ttyS2,1500000 quiet ds=nocloud-net;s=http://${serverip}/seed/ ' +
      'auto=true priority=critical url=http://10.0.0.1/preseed.cfg"',
      'if test "${ctpf_loaded}" = yes; then bootz ${kernel_addr_r} - ${fdt_addr_r}; fi',
    ]
  ) assert(lines.includes(line), `missing: ${line}\n${lines.join("\n")}`);
  assert((await ubootKind.template(parameters)).dockerfile.includes("mkimage -A arm -T script"));
  const mmc = checkParameters(ubootKind, { name: "sd", device: "mmc 1:2", kernel: "Image" });
  assert(ubootScriptOf(mmc).includes("load mmc 1:2 ${kernel_addr_r} Image"));
});

Deno.test("uboot: values that would leave their script line or the partition are refused, each named", () => {
  assertEquals(fieldsOf({ name: "x" }), ["parameters.kernel"]);
  assertEquals(
    fieldsOf({
      name: "../x",
      arch: "x86",
      source: "floppy",
      device: "mmc0; reset",
      tftpServer: "999.1.1.1",
      kernel: "../../etc/shadow",
      initrd: "/initrd img",
      fdt: "/a'b",
      console: "ttyAMA0;reset",
      bootargs: 'quiet" ; reset ; echo "',
      answerUrl: "ftp://x/preseed",
      joinUrl: "http://x/a b",
      extra: "1",
    }).sort(),
    [
      "parameters.answerUrl",
      "parameters.arch",
      "parameters.bootargs",
      "parameters.console",
      "parameters.device",
      "parameters.extra",
      "parameters.fdt",
      "parameters.initrd",
      "parameters.joinUrl",
      "parameters.kernel",
      "parameters.name",
      "parameters.source",
      "parameters.tftpServer",
    ],
  );
  for (const bootargs of ["a\nreset", "a\\", "tab\there", "é"]) {
    assertEquals(fieldsOf({ name: "x", kernel: "/k", bootargs }), ["parameters.bootargs"], bootargs);
  }
  for (const kernel of ["..", "a/../b", "/boot/..", "a b"]) {
    assertEquals(fieldsOf({ name: "x", kernel }), ["parameters.kernel"], kernel);
  }
  assertEquals(
    checkParameters(ubootKind, { name: "x", kernel: "/boot/..vmlinuz" }).kernel,
    "/boot/..vmlinuz",
  );
  assertEquals(refused({ name: "x", kernel: "/k", source: "network", device: "mmc 0:1" }), [
    { field: "parameters.device", message: "network boots load over TFTP: leave it auto" },
  ]);
  assertEquals(fieldsOf({ name: "x", kernel: "/k", tftpServer: "10.0.0.1" }), ["parameters.tftpServer"]);
});
