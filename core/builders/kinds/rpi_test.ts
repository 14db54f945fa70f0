import { FieldErrors } from "../../errors/field_errors.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { checkParameters } from "../kind.ts";
import { RASPI_FIRMWARE_DEB, RASPI_FIRMWARE_SHA256, rpiKind } from "./rpi.ts";
import { configAddition } from "./rpi/files.ts";

const image = "http://10.0.0.1/images/2024-11-19-raspios-bookworm-arm64-lite.img.xz";
const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq1cYtHCOlnY2oHJ6Hc5vOV3Aw1cHp9a3Wb1LmE5UHb me@host";
const fieldsOf = (raw: Record<string, unknown>) =>
  (assertThrows(
    () => checkParameters(rpiKind, { name: "pi", imageUrl: image, ...raw }),
    FieldErrors,
  ) as FieldErrors)
    .errors.map((e) => e.field).sort();
const text = async (parameters: Record<string, unknown>, name: string) => {
  const template = await rpiKind.template(
    checkParameters(rpiKind, { name: "pi", imageUrl: image, ...parameters }),
  );
  const file = template.files.find((f) => f.name === `ctx/${name}`);
  return file && new TextDecoder().decode(file.content);
};

Deno.test("rpi: defaults, and the Dockerfile fetches the image and Debian's firmware .deb", async () => {
  const parameters = checkParameters(rpiKind, { name: "pi", imageUrl: image, sshKeys: key });
  assertEquals(parameters, {
    name: "pi",
    imageUrl: image,
    user: "pi",
    sshKeys: key,
    cmdlineMode: "append",
    blobs: "missing",
    firmwareDebUrl: RASPI_FIRMWARE_DEB,
    outputs: ["img.xz"],
  });
  const template = await rpiKind.template(parameters);
  const lines = template.dockerfile.split("\n");
  assert(lines.includes(`ADD ${image} /in/source.img.xz`), template.dockerfile);
  assert(lines.includes(`ADD ${RASPI_FIRMWARE_DEB} /in/raspi-firmware.deb`), template.dockerfile);
  assert(lines.includes("RUN /ctx/patch.sh source.img.xz missing append pi img.xz pi"), template.dockerfile);
  assertEquals(lines.filter((l) => l.startsWith("ADD")).length, 2);
  assertEquals(rpiKind.publishFolder(parameters, "id"), "builds/pi");
  assertEquals(await text({ sshKeys: key }, "firmware.sha256"), `${RASPI_FIRMWARE_SHA256}\n`);
  // Keys without a hash: userconf.txt names the user with password login off.
  assertEquals(await text({ sshKeys: key }, "userconf.txt"), "pi:*\n");
  assertEquals(await text({ sshKeys: key }, "ssh"), "");
  assertEquals(await text({}, "userconf.txt"), undefined);
  assertEquals(
    await text({ sshKeys: `${key}; ${key.replace("me@host", "ops")}` }, "authorized_keys"),
    `${key}\n${key.replace("me@host", "ops")}\n`,
  );
});

Deno.test("rpi: blobs none fetches no firmware; another firmware URL is checked only by the hash given", async () => {
  const none = await rpiKind.template(
    checkParameters(rpiKind, { name: "pi", imageUrl: image, blobs: "none" }),
  );
  assertEquals(none.dockerfile.split("\n").filter((l) => l.startsWith("ADD")), [
    `ADD ${image} /in/source.img.xz`,
  ]);
  const other = "http://mirror.local/raspi-firmware_1.2_all.deb";
  assertEquals(await text({ firmwareDebUrl: other }, "firmware.sha256"), "");
  assertEquals(
    await text({ firmwareDebUrl: other, firmwareDebSha256: "ab".repeat(32) }, "firmware.sha256"),
    `${"ab".repeat(32)}\n`,
  );
  const plain = await rpiKind.template(
    checkParameters(rpiKind, { name: "pi", imageUrl: "http://x/a.img", dtbDebUrl: "http://x/k.deb" }),
  );
  assert(plain.dockerfile.includes("ADD http://x/a.img /in/source.img\n"));
  assert(plain.dockerfile.includes("ADD http://x/k.deb /in/dtbs.deb\n"));
});

Deno.test("rpi: config.txt lines go under [all]; usercfg.txt and cmdline.txt as given", async () => {
  assertEquals(configAddition([]), "");
  assertEquals(
    configAddition(["enable_uart=1", "[pi4]", "arm_boost=1"]),
    "\n# Added by CTPF's rpi builder\n[all]\nenable_uart=1\n[pi4]\narm_boost=1\n",
  );
  assertEquals(
    await text({ usercfgTxt: "gpu_mem=16; dtparam=audio=on" }, "usercfg.txt"),
    "gpu_mem=16\ndtparam=audio=on\n",
  );
  assertEquals(
    await text({ cmdline: "console=ttyAMA0,115200 quiet", cmdlineMode: "replace" }, "cmdline-args.txt"),
    "console=ttyAMA0,115200 quiet\n",
  );
});

Deno.test("rpi: bad parameters are named, text that could leave its file or script refused", () => {
  assertEquals(fieldsOf({ imageUrl: "ftp://x/a.img" }), ["parameters.imageUrl"]);
  assertEquals(fieldsOf({ imageUrl: "http://x/a b.img" }), ["parameters.imageUrl"]);
  assertEquals(fieldsOf({ imageUrl: "http://x/a'.img" }), ["parameters.imageUrl"]);
  assertEquals(fieldsOf({ imageUrl: "http://x/a.iso" }), ["parameters.imageUrl"]);
  assertEquals(fieldsOf({ user: "root" }), ["parameters.user"]);
  assertEquals(fieldsOf({ user: "Pi User" }), ["parameters.user"]);
  assertEquals(fieldsOf({ passwordHash: "raspberry" }), ["parameters.passwordHash"]);
  assertEquals(fieldsOf({ passwordHash: "$6$salt$hash\nroot::0:0" }), ["parameters.passwordHash"]);
  assertEquals(fieldsOf({ sshKeys: `${key}\nssh-rsa AAAA evil` }), ["parameters.sshKeys"]);
  assertEquals(fieldsOf({ sshKeys: "not a key" }), ["parameters.sshKeys"]);
  assertEquals(fieldsOf({ configTxt: "a=1\nb=2" }), ["parameters.configTxt"]);
  assertEquals(fieldsOf({ configTxt: 'dtoverlay="x"' }), ["parameters.configTxt"]);
  assertEquals(fieldsOf({ cmdline: "quiet;reboot" }), ["parameters.cmdline"]);
  assertEquals(fieldsOf({ cmdline: "a  b" }), ["parameters.cmdline"]);
  assertEquals(fieldsOf({ cmdlineMode: "replace" }), ["parameters.cmdline"]);
  assertEquals(fieldsOf({ hostname: "-bad" }), ["parameters.hostname"]);
  assertEquals(fieldsOf({ joinUrl: "http://x/$(reboot)" }), ["parameters.joinUrl"]);
  assertEquals(fieldsOf({ blobs: "none", dtbDebUrl: "http://x/k.deb" }), ["parameters.dtbDebUrl"]);
  assertEquals(fieldsOf({ firmwareDebSha256: "XYZ" }), ["parameters.firmwareDebSha256"]);
  assertEquals(fieldsOf({ outputs: ["img", "iso"] }), ["parameters.outputs[1]"]);
  assertEquals(fieldsOf({ outputs: [] }), ["parameters.outputs"]);
  assertEquals(fieldsOf({ name: "../x", extra: 1 }), ["parameters.extra", "parameters.name"]);
});
