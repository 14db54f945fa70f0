// Boot settings through the real API handlers and a real Bofied, in process: refusals name their field,
// a field a flag sets is read-only, accepted settings are stored and come back after a restart. Nothing
// here starts a server (no interface is chosen); tests/bofied/boot_settings_web_test.ts serves TFTP.
import { Code, ConnectError } from "@connectrpc/connect";
import { BofiedService } from "../api/gen/ctpf/v1/bofied_pb.ts";
import { FieldViolationsSchema } from "../api/gen/ctpf/v1/errors_pb.ts";
import { assertEquals, assertRejects } from "../testing/assert.ts";
import { type InProcessApi, inProcessApi } from "../testing/in_process_api.ts";
import { registerBofiedApi } from "./api.ts";
import { Registry } from "../metrics/registry.ts";
import { Bofied, type BofiedOptions } from "./bofied.ts";
import { SqliteBofiedStateRepository } from "./store_sqlite.ts";

function bofiedOf(api: InProcessApi, flags: Partial<BofiedOptions> = {}): Bofied {
  return new Bofied({
    log: api.log,
    auth: api.auth,
    dataDir: api.dataDir,
    anonymousRead: false,
    tftpInterface: "",
    bootAddress: "",
    proxyDhcpInterface: "",
    listenAddress: () => ({ hostname: "127.0.0.1", port: 8470 }),
    state: new SqliteBofiedStateRepository(api.store),
    bootStarter: false,
    store: api.store,
    ...flags,
    // Each Bofied (a restart makes a second one) registers its metrics in a registry of its own.
    metrics: flags.metrics ?? new Registry(),
  });
}

function serve(api: InProcessApi, bofied: Bofied): void {
  api.serve((router) =>
    registerBofiedApi(router, {
      files: bofied.files,
      rules: bofied.rules,
      events: bofied.events,
      info: () => bofied.info(),
      bootSettings: () => bofied.bootSettings(),
      setBootSettings: (settings) => bofied.setBootSettings(settings),
    })
  );
}

/** The refusal's field violations, as { field: reason }. */
async function violations(call: Promise<unknown>): Promise<Record<string, string>> {
  const error = ConnectError.from(await assertRejects(() => call));
  assertEquals(error.code, Code.InvalidArgument);
  return Object.fromEntries(
    error.findDetails(FieldViolationsSchema).flatMap((d) => d.violations).map((
      v,
    ) => [v.field, v.description]),
  );
}

Deno.test("boot settings api: wrong fields are refused beside their names, and nothing changes", async () => {
  await using api = await inProcessApi();
  const bofied = bofiedOf(api);
  serve(api, bofied);
  const client = api.client(BofiedService);
  const initial = await client.getBootSettings({});
  const chosen = (
    state: typeof initial,
  ) => [state.settings?.tftpInterface, state.settings?.proxyDhcpInterface, state.settings?.bootAddress];
  assertEquals(chosen(initial), ["", "", ""]);
  assertEquals([initial.tftpPort, initial.proxyDhcpServing, initial.effectiveBootAddress], [0, false, ""]);
  assertEquals(
    await violations(client.setBootSettings({
      settings: { tftpInterface: "ctpf-none0", proxyDhcpInterface: "bad/name", bootAddress: "10.0.0.300" },
    })),
    {
      tftpInterface: "no interface ctpf-none0 on this machine",
      proxyDhcpInterface: '"bad/name" is not an interface name',
      bootAddress: '"10.0.0.300" is not an IPv4 address',
    },
  );
  assertEquals(chosen(await client.getBootSettings({})), ["", "", ""]);
  // A viewer reads the settings but may not change them.
  assertEquals(
    ConnectError.from(
      await assertRejects(() =>
        api.client(BofiedService, api.viewerToken).setBootSettings({ settings: { bootAddress: "192.0.2.9" } })
      ),
    ).code,
    Code.PermissionDenied,
  );
  assertEquals((await api.client(BofiedService, api.viewerToken).getBootSettings({})).tftpPort, 0);
});

Deno.test("boot settings api: accepted settings are stored and in force after a restart", async () => {
  await using api = await inProcessApi();
  serve(api, bofiedOf(api));
  const saved = await api.client(BofiedService).setBootSettings({ settings: { bootAddress: "192.0.2.9" } });
  assertEquals([saved.state?.settings?.bootAddress, saved.state?.effectiveBootAddress], [
    "192.0.2.9",
    "192.0.2.9",
  ]);
  const restarted = bofiedOf(api);
  assertEquals(restarted.bootSettings().settings.bootAddress, "192.0.2.9");
  assertEquals(restarted.info().server, "192.0.2.9", "boot URLs use the boot address");
});

Deno.test("boot settings api: a field a flag sets is shown with its flag and cannot be changed", async () => {
  await using api = await inProcessApi();
  serve(api, bofiedOf(api, { bootAddress: "192.0.2.7" }));
  const client = api.client(BofiedService);
  const state = await client.getBootSettings({});
  assertEquals(state.settings?.bootAddress, "192.0.2.7");
  assertEquals(state.setByFlag, { bootAddress: "--boot-address 192.0.2.7" });
  assertEquals(await violations(client.setBootSettings({ settings: { bootAddress: "192.0.2.8" } })), {
    bootAddress: "set by --boot-address 192.0.2.7; change the flag instead",
  });
  // Sent back unchanged, it is accepted with the other fields.
  const saved = await client.setBootSettings({ settings: { bootAddress: "192.0.2.7" } });
  assertEquals(saved.state?.settings?.bootAddress, "192.0.2.7");
});
