// What the test machine boots: a Debian kernel (from apt's cache, else apt-get download) and an initramfs
// whose /init, a static C program, prints a marker on the console and powers off.

export const bootMarker = "CTPF-NETBOOT-OK";

const initSource = `#include <stdio.h>
#include <unistd.h>
#include <sys/reboot.h>
int main(void) {
  printf("\\n${bootMarker}\\n");
  fflush(stdout);
  sync();
  reboot(RB_POWER_OFF);
  return 0;
}
`;

async function run(command: string[], cwd?: string): Promise<string> {
  const output = await new Deno.Command(command[0], {
    args: command.slice(1),
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`${command.join(" ")} failed:\n${text}`);
  return text;
}

/** A newc cpio archive (the initramfs format) of the given files, all mode 0755 regular files. */
export function cpioNewc(files: Record<string, Uint8Array>): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let inode = 1;
  const pad = (length: number) => parts.push(new Uint8Array((4 - (length % 4)) % 4));
  const entry = (name: string, mode: number, data: Uint8Array) => {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    const header = "070701" +
      [inode++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0].map(hex).join("");
    const head = encoder.encode(header + name + "\0");
    parts.push(head);
    pad(head.length);
    parts.push(data);
    pad(data.length);
  };
  for (const [name, data] of Object.entries(files)) entry(name, 0o100755, data);
  entry("TRAILER!!!", 0, new Uint8Array());
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) out.set(part, offset), offset += part.length;
  return out;
}

async function kernelDeb(work: string): Promise<string> {
  const cache = "/var/cache/apt/archives";
  const cached = await Array.fromAsync(Deno.readDir(cache)).catch(() => [] as Deno.DirEntry[]);
  const found = cached.find((entry) => /^linux-image-[0-9].*-(cloud-)?amd64_.*\.deb$/.test(entry.name));
  if (found) return `${cache}/${found.name}`;
  await run(["apt-get", "download", "linux-image-cloud-amd64"], work);
  const meta = [...Deno.readDirSync(work)].find((e) => e.name.startsWith("linux-image-cloud-amd64"));
  const depends = await run(["dpkg-deb", "-f", `${work}/${meta!.name}`, "Depends"]);
  const image = /linux-image-[^\s,]+/.exec(depends)![0];
  await run(["apt-get", "download", image], work);
  return `${work}/${[...Deno.readDirSync(work)].find((e) => e.name.startsWith(`${image}_`))!.name}`;
}

/** Builds (once per machine, cached under /tmp) vmlinuz and initrd.img; returns their paths. */
export async function bootPayload(): Promise<{ kernel: string; initrd: string }> {
  const cache = "/tmp/ctpf-netboot-payload";
  const kernel = `${cache}/vmlinuz`, initrd = `${cache}/initrd.img`;
  if (await Deno.stat(initrd).then(() => true, () => false)) return { kernel, initrd };
  const work = await Deno.makeTempDir({ prefix: "ctpf-payload-" });
  try {
    const deb = await kernelDeb(work);
    await run(["dpkg-deb", "-x", deb, `${work}/root`]);
    const vmlinuz = [...Deno.readDirSync(`${work}/root/boot`)].find((e) =>
      e.name.startsWith("vmlinuz-")
    )!.name;
    await Deno.writeTextFile(`${work}/init.c`, initSource);
    await run(["gcc", "-static", "-Os", "-o", `${work}/init`, `${work}/init.c`]);
    await Deno.mkdir(cache, { recursive: true });
    await Deno.copyFile(`${work}/root/boot/${vmlinuz}`, kernel);
    await Deno.writeFile(`${initrd}.tmp`, cpioNewc({ init: await Deno.readFile(`${work}/init`) }));
    await Deno.rename(`${initrd}.tmp`, initrd);
    return { kernel, initrd };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}
