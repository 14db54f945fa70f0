// What an arm64 test machine boots: Debian's arm64 cloud kernel (an uncompressed `Image`, which U-Boot's
// booti takes as is) and an initramfs whose /init, a busybox script, prints the kernel's command line
// (quiet keeps the kernel from printing it), then the boot marker, and powers off. Debian's static arm64 busybox is one small download, where a cross compiler for the C init of
// boot_payload.ts would be a large install. Both .debs come from apt with the arm64 architecture added
// (scripts/setup.sh --test does that); the result is cached under /tmp for every later run.
import { run } from "../harness/mod.ts";
import { bootMarker, cpioNewc } from "./boot_payload.ts";

/** How the init prints what the loader passed: one line, `${cmdlinePrefix}<the command line>`. */
export const cmdlinePrefix = "CTPF-CMDLINE: ";

const initScript = `#!/busybox sh
/busybox mkdir -p /proc
/busybox mount -t proc proc /proc
/busybox echo
/busybox echo "${cmdlinePrefix}$(/busybox cat /proc/cmdline)"
/busybox echo ${bootMarker}
/busybox sync
/busybox poweroff -f
`;

/** `apt-get download pkg` into `work` (it writes where it runs); the .deb's path. */
async function download(work: string, pkg: string): Promise<string> {
  const output = await new Deno.Command("apt-get", {
    args: ["download", pkg],
    cwd: work,
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(180_000),
  }).output();
  const name = pkg.replace(/:arm64$/, "");
  const found = [...Deno.readDirSync(work)].find((e) => e.name.startsWith(`${name}_`));
  if (!output.success || !found) {
    throw new Error(`apt-get download ${pkg} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return `${work}/${found.name}`;
}

async function requireArm64Architecture(): Promise<void> {
  const foreign = (await run(["dpkg", "--print-foreign-architectures"])).stdout.split(/\s+/);
  if (!foreign.includes("arm64")) {
    throw new Error("the arm64 payload needs apt's arm64 architecture: run scripts/setup.sh --test");
  }
}

/** vmlinuz (arm64 Image) and initrd.img for arm64 machines, made once per machine; their paths. */
export async function arm64BootPayload(): Promise<{ kernel: string; initrd: string }> {
  // The name carries the init's version: a changed init is a new cache, never a stale one.
  const cache = "/tmp/ctpf-arm64-payload-v1";
  const kernel = `${cache}/vmlinuz`, initrd = `${cache}/initrd.img`;
  if (await Deno.stat(initrd).then(() => true, () => false)) return { kernel, initrd };
  await requireArm64Architecture();
  const work = await Deno.makeTempDir({ prefix: "ctpf-arm64-payload-" });
  try {
    await Deno.chmod(work, 0o755); // apt-get download drops privileges to _apt where it can
    const meta = await download(work, "linux-image-cloud-arm64:arm64");
    const depends = (await run(["dpkg-deb", "-f", meta, "Depends"])).stdout;
    const image = /linux-image-[^\s,]+/.exec(depends)![0];
    await run(["dpkg-deb", "-x", await download(work, `${image}:arm64`), `${work}/kernel`], {
      timeoutMs: 60_000,
    });
    await run(["dpkg-deb", "-x", await download(work, "busybox-static:arm64"), `${work}/busybox`]);
    const vmlinuz = [...Deno.readDirSync(`${work}/kernel/boot`)].find((e) => e.name.startsWith("vmlinuz-"))!;
    await Deno.mkdir(cache, { recursive: true });
    await Deno.copyFile(`${work}/kernel/boot/${vmlinuz.name}`, kernel);
    const archive = cpioNewc({
      init: new TextEncoder().encode(initScript),
      busybox: await Deno.readFile(`${work}/busybox/bin/busybox`),
    });
    await Deno.writeFile(`${initrd}.tmp`, archive);
    await Deno.rename(`${initrd}.tmp`, initrd);
    return { kernel, initrd };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}
