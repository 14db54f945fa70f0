// What builds take from URLs (installer ISOs, images, releases), served on loopback for the test's
// dockerd to fetch: the daemon shares the host's network namespace, so 127.0.0.1 is the only address used.
import { join } from "node:path";
import { bootPayload } from "../../e2e/boot_payload.ts";

export interface InputServer extends AsyncDisposable {
  /** The http:// URL of a file in the served folder. */
  url(name: string): string;
  /** How many GETs each path had: a cached rebuild must not fetch again where BuildKit can tell. */
  gets: Map<string, number>;
}

/** Serves the files of `dir` read-only on 127.0.0.1 (a random port), with Last-Modified and ETag. */
export function serveInputs(dir: string): InputServer {
  const gets = new Map<string, number>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    if (path.split("/").includes("..")) return new Response("no", { status: 400 });
    try {
      const info = await Deno.stat(join(dir, path));
      if (!info.isFile) return new Response("not a file", { status: 404 });
      gets.set(path, (gets.get(path) ?? 0) + (request.method === "GET" ? 1 : 0));
      const etag = `"${info.size}-${info.mtime?.getTime()}"`;
      const headers = {
        "content-length": String(info.size),
        "last-modified": (info.mtime ?? new Date(0)).toUTCString(),
        etag,
      };
      if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
      if (request.method === "HEAD") return new Response(null, { headers });
      return new Response((await Deno.open(join(dir, path))).readable, { headers });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    url: (name) => `http://127.0.0.1:${server.addr.port}/${name}`,
    gets,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** Where a Debian netinst ISO keeps its installer (the layout the ISO builders are pointed at). */
export const INSTALLER_KERNEL = "install.amd/vmlinuz";
export const INSTALLER_INITRD = "install.amd/initrd.gz";

/**
 * A synthetic installer ISO, named as such: a real one cannot be fetched here. Plain ISO 9660 (not
 * bootable, like an ISO a builder must make bootable) with Debian's netinst layout; its "installer" is
 * the test kernel and the marker initramfs, so a machine that reaches it prints the boot marker and the
 * kernel's own "Command line:" line shows what the loader passed.
 */
export async function syntheticInstallerIso(dir: string): Promise<string> {
  const payload = await bootPayload();
  const tree = await Deno.makeTempDir({ dir, prefix: "installer-tree-" });
  await Deno.mkdir(join(tree, "install.amd"));
  await Deno.copyFile(payload.kernel, join(tree, INSTALLER_KERNEL));
  await Deno.copyFile(payload.initrd, join(tree, INSTALLER_INITRD));
  await Deno.writeTextFile(join(tree, "README.txt"), "CTPF synthetic installer ISO for builder tests\n");
  const iso = join(dir, "synthetic-installer.iso");
  const output = await new Deno.Command("xorriso", {
    args: ["-as", "mkisofs", "-quiet", "-R", "-J", "-V", "CTPF_SYNTH_INSTALLER", "-o", iso, tree],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(tree, { recursive: true });
  if (!output.success) throw new Error(`xorriso: ${new TextDecoder().decode(output.stderr)}`);
  return iso;
}
