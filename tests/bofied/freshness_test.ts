// A boot file that was moved, replaced or deleted is never served from a cache once the write that
// changed it has returned: on the API port (its hot path included), the sendfile port and TFTP, whichever
// writer changed it — the API, WebDAV, or an operator editing the tree on disk. Each case first makes
// every port serve the old version (so the lookup and content caches hold it), then changes the file
// and asks every port at once.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BofiedService, FileArea } from "../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { assertEquals } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";

const encoder = new TextEncoder();

/** What a client gets for a name: the body, or "404"/"missing" when there is nothing. */
async function httpBody(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  return response.status === 200 ? text : String(response.status);
}

async function tftpBody(port: number, name: string): Promise<string> {
  const output = await new Deno.Command("curl", {
    args: ["-sS", "--max-time", "10", `tftp://127.0.0.1:${port}${name}`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  // curl exits 68 for a TFTP "file not found" error packet.
  return output.code === 0
    ? new TextDecoder().decode(output.stdout)
    : output.code === 68
    ? "404"
    : "curl failed";
}

Deno.test("bofied: no port serves a moved, replaced or deleted boot file from a cache, whoever changed it", async () => {
  await using bofied = await startBinary({
    entry: "cmd/bofied.ts",
    args: ["--tftp-listen", "127.0.0.1:0", "--boot-http-listen", "127.0.0.1:0"],
  });
  const token = bofied.adminToken;
  const api = createClient(
    BofiedService,
    createConnectTransport({
      baseUrl: bofied.url,
      interceptors: [
        (next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request)),
      ],
    }),
  );
  const info = await api.getBootInfo({});
  const tree = `${bofied.dataDir}/bofied/boot`;

  /** Every port's answer for a name, asked twice over HTTP so the second is the hot path's. */
  const everyPort = async (name: string) => {
    const main = await httpBody(`${bofied.url}/boot${name}`);
    const mainHot = await httpBody(`${bofied.url}/boot${name}`);
    const sendfile = await httpBody(`${info.httpBootUrl}${name}`);
    const tftp = await tftpBody(info.tftpPort, name);
    return { main, mainHot, sendfile, tftp };
  };
  const all = (body: string) => ({ main: body, mainHot: body, sendfile: body, tftp: body });

  const webdav = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${bofied.url}/dav/boot${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    }).then(async (response) => {
      await response.body?.cancel();
      if (response.status >= 300) throw new Error(`WebDAV ${method} ${path}: ${response.status}`);
    });

  // Each case: the old content at /case.ipxe, served by every port; the change; what every port must say.
  const cases: { writer: string; change: () => Promise<void>; after: string }[] = [
    {
      writer: "API move",
      change: async () =>
        void await api.moveFile({ area: FileArea.BOOT, from: "/case.ipxe", to: "/moved.ipxe" }),
      after: "404",
    },
    {
      writer: "API replace (same size)",
      change: async () =>
        void await api.writeFile({
          area: FileArea.BOOT,
          path: "/case.ipxe",
          content: encoder.encode("#!ipxe\nNEW\n"),
        }),
      after: "#!ipxe\nNEW\n",
    },
    {
      writer: "API delete",
      change: async () => void await api.deleteFile({ area: FileArea.BOOT, path: "/case.ipxe" }),
      after: "404",
    },
    {
      writer: "WebDAV MOVE",
      change: () => webdav("MOVE", "/case.ipxe", { destination: `${bofied.url}/dav/boot/moved.ipxe` }),
      after: "404",
    },
    {
      writer: "WebDAV PUT (same size)",
      change: () => webdav("PUT", "/case.ipxe", {}, "#!ipxe\nNEW\n"),
      after: "#!ipxe\nNEW\n",
    },
    {
      writer: "WebDAV DELETE",
      change: () => webdav("DELETE", "/case.ipxe"),
      after: "404",
    },
    {
      writer: "on disk: rename away",
      change: () => Deno.rename(`${tree}/case.ipxe`, `${tree}/moved.ipxe`),
      after: "404",
    },
    {
      writer: "on disk: delete",
      change: () => Deno.remove(`${tree}/case.ipxe`),
      after: "404",
    },
    {
      // rclone, rsync -t and cp -p keep the modification time: size and mtime alone cannot tell.
      writer: "on disk: replaced by rename, same size and mtime",
      change: async () => {
        const old = await Deno.stat(`${tree}/case.ipxe`);
        await Deno.writeTextFile(`${tree}/.incoming`, "#!ipxe\nNEW\n");
        await Deno.utime(`${tree}/.incoming`, old.atime!, old.mtime!);
        await Deno.rename(`${tree}/.incoming`, `${tree}/case.ipxe`);
      },
      after: "#!ipxe\nNEW\n",
    },
    {
      writer: "on disk: rewritten in place, same size and mtime",
      change: async () => {
        const old = await Deno.stat(`${tree}/case.ipxe`);
        // Past the kernel's timestamp tick, so the inode change time the rewrite leaves is a new one.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await Deno.writeTextFile(`${tree}/case.ipxe`, "#!ipxe\nNEW\n");
        await Deno.utime(`${tree}/case.ipxe`, old.atime!, old.mtime!);
      },
      after: "#!ipxe\nNEW\n",
    },
  ];

  for (const { writer, change, after } of cases) {
    await api.writeFile({
      area: FileArea.BOOT,
      path: "/case.ipxe",
      content: encoder.encode("#!ipxe\nOLD\n"),
    });
    await Deno.remove(`${tree}/moved.ipxe`).catch(() => {});
    assertEquals(await everyPort("/case.ipxe"), all("#!ipxe\nOLD\n"), `${writer}: before`);
    await change();
    assertEquals(await everyPort("/case.ipxe"), all(after), `${writer}: right after the change`);
  }
});
