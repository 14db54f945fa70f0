// The grub kind without a daemon: defaults, the generated grub.cfg and Dockerfile, and every bad
// parameter refused with its field named before anything runs.
import { FieldErrors } from "../../errors/field_errors.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { checkParameters } from "../kind.ts";
import { grubKind } from "./grub.ts";
import { parseEntries } from "./grub/config.ts";

/** The errors the parameters get; none when they pass. */
function refused(raw: unknown) {
  try {
    checkParameters(grubKind, raw);
    return [];
  } catch (error) {
    assert(error instanceof FieldErrors, String(error));
    return error.errors;
  }
}
const fieldsOf = (raw: unknown) => refused(raw).map((e) => e.field);
const assertStringIncludes = (whole: string, part: string) =>
  assert(whole.includes(part), `expected:\n${part}\nin:\n${whole}`);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const fileOf = (parameters: Record<string, unknown>, name: string) =>
  text(grubKind.template(checkParameters(grubKind, parameters)).files.find((f) => f.name === name)!.content);

const netboot = {
  name: "lab",
  entries: "Debian installer|debian/linux|debian/initrd.gz|priority=critical; Rescue|rescue/vmlinuz||",
  timeout: "3",
};
const iso = {
  name: "auto",
  mode: "iso",
  isoUrl: "http://10.0.0.1:8470/boot/debian-12-netinst.iso",
  answerFileUrl: "http://10.0.0.1:8470/boot/preseed.cfg",
};

Deno.test("grub: netboot defaults, a menu fetching from the DHCP next server over TFTP, both loaders", () => {
  const parameters = checkParameters(grubKind, netboot);
  assertEquals(parameters.mode, "netboot");
  assertEquals(parameters.targets, ["grubx64.efi", "core.0"]);
  const config = fileOf(netboot, "grub.cfg");
  assertStringIncludes(config, "serial --unit=0 --speed=115200\nterminal_input serial console");
  assertStringIncludes(config, "set timeout=3\nset default='entry-1'");
  assertStringIncludes(config, 'set ctpf_server="$net_default_server"\nexport ctpf_server');
  assertStringIncludes(config, 'fi\necho "CTPF: kernels from (tftp,$ctpf_server)"\nmenuentry');
  assertStringIncludes(
    config,
    "menuentry 'Debian installer' --id 'entry-1' {\n  echo 'CTPF: loading Debian installer'\n" +
      "  linux (tftp,$ctpf_server)/debian/linux 'priority=critical' 'console=tty0' 'console=ttyS0,115200n8'\n" +
      "  initrd (tftp,$ctpf_server)/debian/initrd.gz\n}",
  );
  // An entry without initrd has no initrd line.
  assertStringIncludes(
    config,
    "  linux (tftp,$ctpf_server)/rescue/vmlinuz 'console=tty0' 'console=ttyS0,115200n8'\n}",
  );
  const script = fileOf(netboot, "build.sh");
  assertStringIncludes(script, "grub-mkstandalone -O x86_64-efi -o /out/grubx64.efi");
  assertStringIncludes(script, "grub-mkstandalone -O i386-pc-pxe -o /out/core.0");
  const template = grubKind.template(parameters);
  assert(!template.dockerfile.includes("ADD"), "netboot fetches nothing");
  assertStringIncludes(
    template.dockerfile,
    "COPY grub.cfg build.sh /work/\nRUN sh /work/build.sh\nFROM scratch",
  );
  assertEquals(grubKind.publishFolder(parameters), "builds/lab");
});

Deno.test("grub: netboot options: default entry, http server, one target, answer file on every entry", () => {
  const config = fileOf({
    ...netboot,
    defaultEntry: "Rescue",
    protocol: "http",
    server: "boot.example:8080",
    serial: "none",
    answerFile: "kickstart",
    answerFileUrl: "http://10.0.0.1/ks.cfg",
    kernelArgs: "ip=dhcp  quiet",
    targets: ["grubx64.efi"],
  }, "grub.cfg");
  assert(!config.includes("serial"), config);
  assertStringIncludes(config, "set default='entry-2'");
  assertStringIncludes(config, "set ctpf_server='boot.example:8080'");
  assertStringIncludes(
    config,
    "linux (http,$ctpf_server)/rescue/vmlinuz 'inst.ks=http://10.0.0.1/ks.cfg' 'ip=dhcp' 'quiet'\n}",
  );
  const script = fileOf({ ...netboot, targets: ["grubx64.efi"] }, "build.sh");
  assert(!script.includes("core.0"), script);
});

Deno.test("grub: iso mode adds the ISO first and boots its installer with the answer file", () => {
  const parameters = checkParameters(grubKind, iso);
  const template = grubKind.template(parameters);
  assertStringIncludes(
    template.dockerfile,
    `ADD ${iso.isoUrl} /in/installer.iso\nCOPY grub.cfg build.sh /work/\nRUN sh /work/build.sh`,
  );
  const config = fileOf(iso, "grub.cfg");
  assertStringIncludes(config, "if search --no-floppy --file --set=root /install.amd/vmlinuz; then");
  assertStringIncludes(
    config,
    "  linux /install.amd/vmlinuz 'auto=true' 'priority=critical' " +
      "'preseed/url=http://10.0.0.1:8470/boot/preseed.cfg' 'console=tty0' 'console=ttyS0,115200n8'\n" +
      "  initrd /install.amd/initrd.gz\n",
  );
  const script = fileOf(iso, "build.sh");
  assertStringIncludes(script, "xorriso -indev /in/installer.iso -outdev '/out/auto.iso'");
  assertStringIncludes(script, "-ls '/install.amd/initrd.gz'");
  // Ubuntu's datasource argument holds a ;, which single quotes keep from GRUB's parser.
  assertStringIncludes(
    fileOf({
      ...iso,
      answerFile: "autoinstall",
      answerFileUrl: "http://10.0.0.1/ai/",
      kernel: "casper/vmlinuz",
    }, "grub.cfg"),
    "linux /casper/vmlinuz 'autoinstall' 'ds=nocloud-net;s=http://10.0.0.1/ai/'",
  );
});

Deno.test("grub: missing parameters of each mode are named", () => {
  assertEquals(fieldsOf({ name: "lab" }), ["parameters.entries"]);
  assertEquals(fieldsOf({ name: "lab", mode: "iso" }), ["parameters.isoUrl", "parameters.answerFileUrl"]);
  assertEquals(fieldsOf({ ...iso, answerFileUrl: undefined, answerFile: "none" }), []);
  assertEquals(fieldsOf({ ...iso, entries: netboot.entries }), ["parameters.entries"]);
  assertEquals(fieldsOf({ ...netboot, protocol: "http" }), ["parameters.server"]);
  assertEquals(fieldsOf({ ...netboot, defaultEntry: "Windows" }), ["parameters.defaultEntry"]);
  assertEquals(fieldsOf({ ...netboot, targets: ["core.0", "core.0"] }), ["parameters.targets[1]"]);
  assertEquals(fieldsOf({ ...netboot, targets: ["pxelinux.0"] }), ["parameters.targets[0]"]);
  assertEquals(fieldsOf({ ...netboot, targets: [] }), ["parameters.targets"]);
  assertEquals(fieldsOf({ ...netboot, mode: "usb" }), ["parameters.mode"]);
  assertEquals(fieldsOf({ ...netboot, colour: "red" }), ["parameters.colour"]);
});

Deno.test("grub: text that could break out of grub.cfg, the Dockerfile or the boot tree is refused", () => {
  const bad: [string, unknown][] = [
    ["name", "../etc"],
    ["name", "a/b"],
    ["timeout", "-1"],
    ["timeout", "5; reboot"],
    ["server", "10.0.0.1 x"],
    ["server", "$(x)"],
    ["kernelArgs", "quiet' ; reboot; echo '"],
    ["kernelArgs", 'a"b'],
    ["kernelArgs", "a\nb"],
    ["kernelArgs", "a\\b"],
    ["entries", "A|k|i|'x'"],
    ["entries", "A|k|i|x\nreboot"],
    ["answerFileUrl", "http://x/a b"],
    ["answerFileUrl", "http://x/${prefix}"],
    ["answerFileUrl", "http://x/'"],
    ["answerFileUrl", "file:///etc/passwd"],
  ];
  for (const [field, value] of bad) {
    assertEquals(fieldsOf({ ...netboot, [field]: value }), [`parameters.${field}`], `${field}=${value}`);
  }
  const badIso: [string, unknown][] = [
    ["isoUrl", "http://x/a.iso\nRUN rm -rf /"],
    ["isoUrl", "http://x/$HOME.iso"],
    ["isoUrl", "ftp://x/a.iso"],
    ["kernel", "../../etc/shadow"],
    ["kernel", "/install.amd/vmlinuz"],
    ["kernel", "install.amd/../x"],
    ["initrd", "a b"],
    ["initrd", "$root/x"],
  ];
  for (const [field, value] of badIso) {
    assertEquals(fieldsOf({ ...iso, [field]: value }), [`parameters.${field}`], `${field}=${value}`);
  }
});

Deno.test("grub: each wrong menu entry is named by its number", () => {
  const messages = (entries: string) =>
    refused({ ...netboot, entries }).map((e) => `${e.field}: ${e.message}`);
  assertEquals(messages("A|k"), []);
  assertEquals(messages("A|../k"), ["parameters.entries: entry 1: the kernel must be a relative path"]);
  assertEquals(messages("A|k;B|k|..|"), [
    "parameters.entries: entry 2: the initrd must be a relative path (or empty)",
  ]);
  assertEquals(messages("A|k;A|k2"), ["parameters.entries: entry 2: label A is taken"]);
  assertEquals(messages("|k"), [
    "parameters.entries: entry 1: the label must be 1–64 letters, digits, spaces or ._()+:,/- characters",
  ]);
  assertEquals(messages("A|k|i|a|b"), [
    "parameters.entries: entry 1: at most 4 fields (label|kernel|initrd|args)",
  ]);
  assertEquals(messages(";"), [
    "parameters.entries: entry 1: the label must be 1–64 letters, digits, spaces or ._()+:,/- characters",
  ]);
});

Deno.test("grub: entries parse with trailing separators and spaces around fields", () => {
  assertEquals(parseEntries(" A | k | i | x=1  y ; B|k2; "), {
    entries: [
      { label: "A", kernel: "k", initrd: "i", args: ["x=1", "y"] },
      { label: "B", kernel: "k2", initrd: undefined, args: [] },
    ],
    errors: [],
  });
});
