/**
 * nodin's real API handlers in process (core/testing/in_process_api.ts) with the cloud power driver
 * (and any others given) and short loop timings, for the cloud tests against the fakes in tests/nodin/fakes
 * (loopback only) and the BMC checks against pyghmi's BMC in namespaces.
 */
import { NodinService } from "../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { registerNodinApi } from "../../../core/nodin/api.ts";
import { Nodin } from "../../../core/nodin/nodin.ts";
import { DriverRegistry } from "../../../core/nodin/power/registry.ts";
import { CredentialFiles } from "../../../core/nodin/secrets.ts";
import { SqliteNodinRepository } from "../../../core/nodin/store_sqlite.ts";
import { type InProcessApi, inProcessApi } from "../../../core/testing/in_process_api.ts";
import type { Client } from "@connectrpc/connect";

export interface CloudNodin {
  api: InProcessApi;
  nodin: Nodin;
  client: Client<typeof NodinService>;
  credentialDir: string;
}

export async function withCloudNodin(
  test: (lab: CloudNodin) => Promise<void>,
  drivers = new DriverRegistry(),
): Promise<void> {
  await using api = await inProcessApi();
  const credentialDir = `${api.dataDir}/nodin-credentials`;
  const nodin = new Nodin({
    log: api.log,
    repository: new SqliteNodinRepository(api.store),
    credentials: new CredentialFiles(credentialDir),
    drivers,
    metrics: api.metrics,
    cloudPower: true,
    powerTiming: { pollMs: 300, busyPollMs: 150, callTimeoutMs: 5_000, actionTimeoutMs: 10_000 },
    // Listings in these tests are asked for (SyncCloudAccount); the loop's own stay out of the way.
    cloudTiming: { syncMs: 600_000, callTimeoutMs: 15_000 },
  });
  api.serve((router) => registerNodinApi(router, nodin));
  nodin.start();
  try {
    await test({ api, nodin, client: api.client(NodinService), credentialDir });
  } finally {
    await nodin.stop();
  }
}
