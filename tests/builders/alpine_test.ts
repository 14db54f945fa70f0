// The alpine builder on a test dockerd, from a synthetic Alpine release (named as such: Alpine's mirrors
// cannot be reached here): the apkovl checked file by file, the repository subset package by package,
// a second identical build from the cache, then the published set booted over PXE through necon +
// bofied (SeaBIOS + iPXE under qemu TCG) to the marker, the kernel's command line carrying the URLs.
// A real Alpine initramfs cannot be had here, so nothing applies the apkovl: builders/alpine.md says so.
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { readTar } from "../../core/archive/tar.ts";
import { joinScript } from "../../core/builders/kinds/alpine/overlay.ts";
import { finished, startBuilders } from "../../core/builders/testing/fixture.ts";
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { bootMarker } from "../e2e/boot_payload.ts";
import { binaryIn, tapLan, writeTapLanDhcpConfig } from "../e2e/lan.ts";
import { prepareBootTree, startMachine, waitForBoot } from "../e2e/machine.ts";
import { syntheticAlpineRelease } from "./support/alpine_release.ts";
import { serveInputs } from "./support/inputs.ts";

const decoder = new TextDecoder();
const bootUrl = "http://10.66.0.1:8470/boot";
const keys = [
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq1cYtHCOlnY2oHJ6Hc5vOV3Aw1cHp9a3Wb1LmE5UHb admin@ctpf",
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ops",
];

async function run(command: string[]): Promise<string> {
  const output = await new Deno.Command(command[0], {
    args: command.slice(1),
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!output.success) throw new Error(`${command.join(" ")}: ${decoder.decode(output.stderr)}`);
  return decoder.decode(output.stdout);
}

rootTest({
  name:
    "builders (alpine): apkovl, repository subset and iPXE script from a synthetic release; cached; boots",
  tools: ["dockerd", "debootstrap", "unshare", "qemu-system-x86_64", "gcc", "dpkg-deb", "tar"],
  sanitizeResources: false,
  fn: async () => {
    const work = await Deno.makeTempDir({ prefix: "ctpf-alpine-" });
    try {
      const release = await syntheticAlpineRelease(work);
      await using inputs = serveInputs(work);
      await using fixture = await startBuilders();
      const { builders } = fixture;
      const parameters = {
        name: "alpine-lab",
        releaseUrl: inputs.url(release.netboot),
        repositoryUrl: inputs.url(release.repository),
        bootUrl,
        hostname: "node1",
        packages: "curl",
        sshKeys: keys.join(";"),
        joinUrl: "http://10.66.0.1:8470/boot/join.sh",
        kernelArgs: "console=ttyS0 panic=-1",
      };

      const coldStart = performance.now();
      const first = await finished(builders, builders.create("alpine", parameters, "test").id);
      const coldMs = performance.now() - coldStart;
      assertEquals(first.state, "succeeded", first.error);
      const base = "builds/alpine-lab";
      const closure = [
        "alpine-base-3.20.3-r0",
        "alpine-baselayout-3.6.5-r0",
        "busybox-1.36.1-r29",
        "ca-certificates-bundle-20240705-r0",
        "curl-8.10.1-r0",
        "libcrypto3-3.3.2-r0",
        "libcurl-8.10.1-r0",
        "musl-1.2.5-r0",
        "openrc-0.54-r1",
        "openssh-9.7_p1-r4",
        "openssh-client-9.7_p1-r4",
        "openssh-keygen-9.7_p1-r4",
        "openssh-server-9.7_p1-r4",
      ];
      assertEquals(
        first.artifacts.map((a) => a.name).sort(),
        [
          "boot.ipxe",
          "initramfs-lts",
          "modloop-lts",
          "node1.apkovl.tar.gz",
          "repo/x86_64/APKINDEX.tar.gz",
          "repo/x86_64/CTPF-MIRROR.txt",
          ...closure.map((name) => `repo/x86_64/${name}.apk`),
          "vmlinuz-lts",
        ].sort(),
      );
      const published = (name: string) => Deno.readFile(join(fixture.publisher.dir, base, name));

      // The release's boot files, byte for byte.
      assertEquals(await published("vmlinuz-lts"), await Deno.readFile(release.kernel));
      assertEquals(await published("initramfs-lts"), await Deno.readFile(release.initrd));
      // The subset: exactly the closure (no dropbear, nginx), each .apk as the mirror has it, the index
      // as the mirror sent it (unsigned: a synthetic one).
      for (const name of closure) {
        assertEquals(await published(`repo/x86_64/${name}.apk`), release.apks.get(`${name}.apk`), name);
      }
      assertEquals(await published("repo/x86_64/APKINDEX.tar.gz"), release.index);
      const mirror = decoder.decode(await published("repo/x86_64/CTPF-MIRROR.txt"));
      assert(mirror.includes("(unsigned)"), mirror);
      assertEquals(
        mirror.split("\n").filter((line) => line && !line.startsWith("#")).map((line) => line.split(" ")[0]),
        closure.map((name) => `${name}.apk`),
      );
      for (const line of mirror.split("\n").filter((line) => line && !line.startsWith("#"))) {
        const [file, size] = line.split(" ");
        assertEquals(Number(size), release.apks.get(file)!.length, `index size of ${file}`);
      }

      // The apkovl, entry by entry: names, types, modes, owners, contents.
      const apkovl = await published("node1.apkovl.tar.gz");
      const entries = readTar(gunzipSync(apkovl));
      const listing = entries.map((e) =>
        `${e.type} ${(e.mode ?? 0).toString(8)} ${e.name}${e.linkName ? ` -> ${e.linkName}` : ""}`
      );
      assertEquals(listing, [
        "directory 755 etc",
        "file 644 etc/.default_boot_services",
        "directory 755 etc/apk",
        "file 644 etc/apk/repositories",
        "file 644 etc/apk/world",
        "file 644 etc/hostname",
        "directory 755 etc/local.d",
        "file 755 etc/local.d/ctpf-join.start",
        "directory 755 etc/network",
        "file 644 etc/network/interfaces",
        "directory 755 etc/runlevels",
        "directory 755 etc/runlevels/boot",
        "symlink 777 etc/runlevels/boot/networking -> /etc/init.d/networking",
        "directory 755 etc/runlevels/default",
        "symlink 777 etc/runlevels/default/local -> /etc/init.d/local",
        "symlink 777 etc/runlevels/default/sshd -> /etc/init.d/sshd",
        "directory 755 root",
        "directory 700 root/.ssh",
        "file 600 root/.ssh/authorized_keys",
      ]);
      const text = (name: string) => decoder.decode(entries.find((e) => e.name === name)!.content);
      assertEquals(text("etc/hostname"), "node1\n");
      assertEquals(text("etc/apk/world"), "alpine-base\nopenssh\ncurl\n");
      assertEquals(text("etc/apk/repositories"), `${bootUrl}/${base}/repo\n`);
      assertEquals(
        text("etc/network/interfaces"),
        "auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n\thostname node1\n",
      );
      assertEquals(text("root/.ssh/authorized_keys"), keys.map((k) => `${k}\n`).join(""));
      assertEquals(text("etc/local.d/ctpf-join.start"), joinScript(parameters.joinUrl));
      assertEquals(text("etc/.default_boot_services"), "");
      // Owned by root, mtime 0: the same configuration gives the same bytes.
      const owners = (await run([
        "tar",
        "--numeric-owner",
        "-tvzf",
        join(fixture.publisher.dir, base, "node1.apkovl.tar.gz"),
      ]))
        .trim().split("\n").map((line) => line.split(/\s+/).slice(1, 2)[0]);
      assert(owners.every((owner) => owner === "0/0"), owners.join(" "));
      assertEquals(apkovl.subarray(4, 8), new Uint8Array(4), "gzip header without a time");

      const script = decoder.decode(await published("boot.ipxe"));
      assertEquals(
        script.split("\n")[2],
        `kernel ${bootUrl}/${base}/vmlinuz-lts initrd=initramfs-lts ip=dhcp modloop=${bootUrl}/${base}/modloop-lts ` +
          `alpine_repo=${bootUrl}/${base}/repo apkovl=${bootUrl}/${base}/node1.apkovl.tar.gz console=ttyS0 panic=-1`,
      );

      const warmStart = performance.now();
      const second = await finished(builders, builders.create("alpine", parameters, "test").id);
      const warmMs = performance.now() - warmStart;
      assertEquals(second.state, "succeeded", second.error);
      const steps = second.steps.filter((s) =>
        /^\[(build|stage-1) /.test(s.name) && !s.name.includes("FROM")
      );
      assert(
        steps.length >= 5 && steps.every((s) => s.cached),
        JSON.stringify(second.steps.map((s) => [s.name, s.cached])),
      );
      assertEquals(second.artifacts.map((a) => a.sha256).sort(), first.artifacts.map((a) => a.sha256).sort());
      console.log(
        `alpine: cold ${coldMs.toFixed(0)} ms (base image included if not cached), cached ${
          warmMs.toFixed(0)
        } ms`,
      );

      // A package whose dependency the index lacks: the build fails naming it, before any step runs.
      const broken = await finished(
        builders,
        builders.create("alpine", { ...parameters, packages: "nginx" }, "test").id,
      );
      assertEquals(broken.state, "failed");
      assertEquals(broken.error, "nothing in the index provides so:libpcre2-8.so.0 (needed by nginx)");

      // The published set, served by bofied, booted by a diskless BIOS machine through iPXE.
      await withLab(async (lab) => {
        const data = join(work, "data");
        await prepareBootTree(data, "http://10.66.0.1:8470");
        const boot = join(data, "bofied", "boot");
        await run(["cp", "-r", join(fixture.publisher.dir, "builds"), boot]);
        await Deno.writeTextFile(join(boot, "boot.ipxe"), `#!ipxe\nchain ${bootUrl}/${base}/boot.ipxe\n`);
        await writeTapLanDhcpConfig(join(work, "necon.json"));
        const lan = await tapLan(lab);
        await using ctpf = await startBinary({
          command: binaryIn(lan, "ctpf.ts"),
          args: ["--listen", "10.66.0.1:8470", "--dhcp-config", join(work, "necon.json")],
          dataDir: data,
        });
        const serial = join(work, "serial.log");
        const bootStart = performance.now();
        const qemu = startMachine(lan, "tap0", serial, "bios");
        await waitForBoot(serial, () => `ctpf:\n${ctpf.output()}`);
        await qemu.stop(5000);
        console.log(
          `alpine: PXE boot to the marker ${((performance.now() - bootStart) / 1000).toFixed(1)} s`,
        );
        const console_ = await Deno.readTextFile(serial);
        assert(console_.includes(bootMarker));
        assertMatch(
          console_,
          new RegExp(
            `Command line: .*modloop=${bootUrl}/${base}/modloop-lts alpine_repo=${bootUrl}/${base}/repo ` +
              `apkovl=${bootUrl}/${base}/node1\\.apkovl\\.tar\\.gz`,
          ),
        );
      });
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
