// nodin's power metrics moved by the desired-state loop through a real driver (the webhook driver against
// a plug on loopback), with the wish made through NodinService in process: a refused action, the one that
// then works, the polls, and the polls that could not see once the plug is gone.
import { NodinService } from "../api/gen/ctpf/v1/nodin_pb.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { waitFor } from "../testing/harness/wait.ts";
import { inProcessApi } from "../testing/in_process_api.ts";
import { MetricsText } from "../testing/metrics.ts";
import { registerNodinApi } from "./api.ts";
import { Nodin } from "./nodin.ts";
import { DriverRegistry } from "./power/registry.ts";
import { webhookFactory } from "./power/webhook/driver.ts";
import { CredentialFiles } from "./secrets.ts";
import { SqliteNodinRepository } from "./store_sqlite.ts";

/** A plug that keeps its power state and turns the first "on" away (busy), like a plug mid-firmware-update. */
function startPlug() {
  let power = "off";
  let busy = true;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const { action } = await request.json();
    if (action === "status") return Response.json({ state: power });
    if (action === "on" && busy) {
      busy = false;
      return new Response("busy", { status: 503 });
    }
    power = action;
    return new Response(null, { status: 204 });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, server };
}

Deno.test("nodin metrics: power actions by driver, action and result, and polls with their errors, through the webhook driver", async () => {
  await using api = await inProcessApi();
  const nodin = new Nodin({
    log: api.log,
    repository: new SqliteNodinRepository(api.store),
    credentials: new CredentialFiles(`${api.dataDir}/nodin-credentials`),
    drivers: new DriverRegistry([webhookFactory]),
    metrics: api.metrics,
    powerTiming: { pollMs: 30, busyPollMs: 10, maxBackoffMs: 60, callTimeoutMs: 2_000 },
  });
  api.serve((router) => registerNodinApi(router, nodin));
  const plug = startPlug();
  const scrape = () => new MetricsText(api.metrics.render());
  const webhook = { driver: "webhook" };
  try {
    nodin.start();
    const client = api.client(NodinService);
    const { node } = await client.createNode({
      node: { name: "plugged-1", bmc: { driver: "webhook", address: plug.url } },
    });
    await waitFor(() => nodin.get(node!.id)?.observedPower.state === "off", { what: "first poll" });
    await client.setPower({ id: node!.id, action: "on" });
    await waitFor(() => nodin.get(node!.id)?.observedPower.state === "on", { what: "power on" });

    const on = scrape();
    assertEquals(
      on.value("ctpf_nodin_power_actions_total", { ...webhook, action: "on", result: "refused" }),
      1,
    );
    assertEquals(on.value("ctpf_nodin_power_actions_total", { ...webhook, action: "on", result: "ok" }), 1);
    assertEquals(on.value("ctpf_nodin_power_actions_total"), 2);
    assert(on.value("ctpf_nodin_power_polls_total", webhook) >= 3, "off, off again after the refusal, on");
    assertEquals(on.value("ctpf_nodin_power_poll_errors_total", webhook), 0);
    assertEquals(on.value("ctpf_nodin_nodes_observed_power", { state: "on" }), 1);
    assertEquals(on.value("ctpf_nodin_nodes", { lifecycle: "enrolled" }), 1);

    // The plug goes away: the polls go on and cannot see.
    await plug.server.shutdown();
    await waitFor(() => nodin.get(node!.id)?.observedPower.state === "unknown", { what: "plug gone" });
    assert(scrape().value("ctpf_nodin_power_poll_errors_total", webhook) >= 1);
    assertEquals(scrape().value("ctpf_nodin_nodes_observed_power", { state: "unknown" }), 1);
  } finally {
    await nodin.stop();
    await plug.server.shutdown();
  }
});
