// bofied's API handlers in process (Connect's router transport over a temporary data directory): no
// server, no TFTP, no root. tests/bofied/bofied_test.ts drives the same API against a running binary.
import { Code, ConnectError } from "@connectrpc/connect";
import { join } from "node:path";
import { BofiedService, FileArea } from "../api/gen/ctpf/v1/bofied_pb.ts";
import { assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { type InProcessApi, inProcessApi } from "../testing/in_process_api.ts";
import { assertStreamLimit } from "../testing/stream_limit.ts";
import { registerBofiedApi } from "./api.ts";
import { type BootEvent, createBootEvents } from "./events.ts";
import { ServedFiles } from "./files.ts";
import { Jail } from "./jail.ts";
import { BootRules } from "./rules/engine.ts";

const encoder = new TextEncoder(), decoder = new TextDecoder();

async function withBofied(
  options: { anonymousRead?: boolean },
  test: (api: InProcessApi, events: ReturnType<typeof createBootEvents>) => Promise<void>,
): Promise<void> {
  await using api = await inProcessApi(options);
  const boot = join(api.dataDir, "boot"), secret = join(api.dataDir, "private");
  await Deno.mkdir(boot);
  await Deno.mkdir(secret, { mode: 0o700 });
  const rulesPath = join(api.dataDir, "rules.ts");
  const events = createBootEvents();
  api.serve((router) =>
    registerBofiedApi(router, {
      files: { boot: new ServedFiles(new Jail(boot)), private: new ServedFiles(new Jail(secret)) },
      rules: new BootRules({ path: rulesPath, log: api.log }),
      events,
      info: () => ({
        tftpAddress: "192.0.2.1",
        tftpPort: 69,
        httpBootUrl: "http://192.0.2.1:8470/boot",
        rulesPath,
        server: "192.0.2.1",
        httpPort: 8470,
      }),
      // Boot settings need a whole Bofied: boot_settings_api_test.ts covers them.
      bootSettings: () => {
        throw new Error("not served in this test");
      },
      setBootSettings: () => Promise.reject(new Error("not served in this test")),
    })
  );
  await test(api, events);
}

async function code(call: Promise<unknown>): Promise<string> {
  return Code[ConnectError.from(await assertRejects(() => call)).code];
}

const event = (message: string): BootEvent => ({ time: new Date(), kind: "tftp", message, fields: {} });

Deno.test("bofied api (in process): files written, read, listed; boot info", async () => {
  await withBofied({}, async (api) => {
    const bofied = api.client(BofiedService);
    const written = await bofied.writeFile({
      area: FileArea.BOOT,
      path: "/ipxe/boot.ipxe",
      content: encoder.encode("#!ipxe\nshell\n"),
      parents: true,
    });
    assertEquals([written.entry?.path, written.entry?.size], ["/ipxe/boot.ipxe", 13n]);
    const read = await bofied.readFile({ area: FileArea.BOOT, path: "/ipxe/boot.ipxe" });
    assertEquals(decoder.decode(read.content), "#!ipxe\nshell\n");
    const listed = await bofied.listFiles({ area: FileArea.BOOT, path: "/" });
    assertEquals(listed.entries.map((e) => [e.name, e.directory]), [["ipxe", true]]);
    assertEquals((await bofied.listFiles({ area: FileArea.PRIVATE, path: "/" })).entries, []);
    const info = await bofied.getBootInfo({});
    assertEquals([info.tftpAddress, info.tftpPort, info.httpBootUrl], [
      "192.0.2.1",
      69,
      "http://192.0.2.1:8470/boot",
    ]);
  });
});

Deno.test("bofied api (in process): bad names and file errors get their codes", async () => {
  await withBofied({}, async (api) => {
    const bofied = api.client(BofiedService);
    await bofied.makeDirectory({ path: "/ipxe" });
    const escape = ConnectError.from(
      await assertRejects(() => bofied.writeFile({ path: "/../escape", content: encoder.encode("no") })),
    );
    assertEquals(Code[escape.code], Code[Code.PermissionDenied]);
    assertMatch(escape.rawMessage, /^refused: "\/\.\.\/escape": "\.\." is not allowed/);
    assertEquals(await code(bofied.readFile({ path: "/missing" })), Code[Code.NotFound]);
    assertEquals(await code(bofied.makeDirectory({ path: "/ipxe" })), Code[Code.AlreadyExists]);
    assertEquals(await code(bofied.readFile({ path: "/ipxe" })), Code[Code.FailedPrecondition]);
    assertEquals(await code(bofied.deleteFile({ path: "/" })), Code[Code.FailedPrecondition]);
    assertEquals(
      await code(bofied.listFiles({ area: 7 as FileArea, path: "/" })),
      Code[Code.InvalidArgument],
    );
  });
});

Deno.test("bofied api (in process): with --anonymous-read, reads need no credential and writes do", async () => {
  await withBofied({ anonymousRead: true }, async (api) => {
    const anonymous = api.client(BofiedService, "");
    assertEquals((await anonymous.listFiles({ path: "/" })).entries, []);
    assertEquals((await anonymous.getBootInfo({})).tftpPort, 69);
    assertEquals(
      await code(anonymous.writeFile({ path: "/x", content: new Uint8Array() })),
      "Unauthenticated",
    );
    const viewer = api.client(BofiedService, api.viewerToken);
    assertEquals(await code(viewer.deleteFile({ path: "/x" })), "PermissionDenied");
  });
});

Deno.test("bofied api (in process): SubscribeToEvents replays history, then goes live", async () => {
  await withBofied({}, async (api, events) => {
    for (const message of ["one", "two", "three"]) events.publish(event(message));
    const bofied = api.client(BofiedService);
    const controller = new AbortController();
    const stream = bofied.subscribeToEvents({ history: 2 }, { signal: controller.signal })[
      Symbol.asyncIterator
    ]();
    try {
      const messages = async (count: number) => {
        const out: string[] = [];
        for (let i = 0; i < count; i++) out.push((await stream.next()).value.event.message);
        return out;
      };
      assertEquals(await messages(2), ["two", "three"]);
      await bofied.makeDirectory({ path: "/live" });
      assertEquals(await messages(1), ["directory made"]);
    } finally {
      controller.abort();
    }
  });
});

Deno.test("bofied api (in process): SubscribeToEvents answers its 65th stream resource_exhausted", async () => {
  await withBofied({}, async (api, events) => {
    const bofied = api.client(BofiedService);
    await assertStreamLimit({
      open: (signal) => bofied.subscribeToEvents({ history: 0 }, { signal }),
      subscribers: () => events.subscriberCount,
    });
  });
});
