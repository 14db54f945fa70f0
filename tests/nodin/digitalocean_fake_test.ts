/**
 * The DigitalOcean fake checked by a DigitalOcean client: Debian's python3-digitalocean, pointed at the
 * fake with DIGITALOCEAN_END_POINT, creates a droplet, waits on its actions, powers it off and on, lists
 * droplets over several pages and by tag, destroys it, and is refused with a wrong token.
 */
import { DigitalOceanFakeServer } from "./fakes/digitalocean_fake_server.ts";
import { assertEquals, assertStrictEquals } from "../support/assert.ts";

const token = "dop_v1_fake";

async function pythonDigitalOcean(fake: DigitalOceanFakeServer, scenario: string, withToken = token) {
  const script = new URL("./support/digitalocean_client.py", import.meta.url).pathname;
  const output = await new Deno.Command("/usr/bin/python3", {
    args: [script, withToken, scenario],
    env: { PATH: "/usr/bin:/bin", DIGITALOCEAN_END_POINT: fake.apiBase },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`python-digitalocean failed: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test("DigitalOcean fake: python-digitalocean creates, powers off and on, and destroys a droplet", async () => {
  const fake = new DigitalOceanFakeServer({ token, actionMs: 300 });
  try {
    const seen = await pythonDigitalOcean(fake, "lifecycle");
    assertEquals(seen, {
      created_id: seen.created_id,
      create_action_done: true,
      status_after_create: "active",
      ip_address: `203.0.113.${seen.created_id % 250}`,
      private_ip_address: `10.110.0.${seen.created_id % 250}`,
      power_off_type: "power_off",
      power_off_done: true,
      status_after_off: "off",
      power_on_done: true,
      status_after_on: "active",
      actions: ["create", "power_off", "power_on"],
      destroyed: true,
      after_destroy: "not found",
    });
    assertStrictEquals(typeof seen.created_id, "number");
  } finally {
    await fake.close();
  }
});

Deno.test("DigitalOcean fake: python-digitalocean follows links.pages over every page and filters by tag", async () => {
  const fake = new DigitalOceanFakeServer({ token });
  try {
    for (let i = 0; i < 8; i++) fake.seed(`node-${i}`, "active", [`rack:${i % 2}`]);
    const seen = await pythonDigitalOcean(fake, "list");
    assertEquals(seen.names, Array.from({ length: 8 }, (_, i) => `node-${i}`));
    assertStrictEquals(seen.public_ips.length, 8);
    assertEquals(seen.tagged, ["node-1", "node-3", "node-5", "node-7"]);
    assertStrictEquals(fake.log.filter((line) => line === "GET /v2/droplets").length, 3 + 1);
  } finally {
    await fake.close();
  }
});

Deno.test("DigitalOcean fake: python-digitalocean with a wrong token is refused", async () => {
  const fake = new DigitalOceanFakeServer({ token });
  try {
    const seen = await pythonDigitalOcean(fake, "refused", "dop_v1_wrong");
    assertStrictEquals(seen.error, "Unable to authenticate you.");
  } finally {
    await fake.close();
  }
});
