// Names a service is known by are the same in every binary: its metric families are ctpf_<service>_*
// (beside the platform's own ctpf_rpc_, ctpf_log_ and ctpf_uptime_), and its log records carry its own
// name as the component, in its single binary and inside the all-in-one alike.
import { initNetwork, initNode } from "../../core/gloeth/identity/node_dir.ts";
import { MetricsText, scrapeMetrics } from "../../core/testing/metrics.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { type RunningBinary, startBinary } from "../support/ctpf_process.ts";

const services = ["necon", "bofied", "liwasc", "nodin", "builders", "deployers", "gloeth"];
const platformPrefixes = ["rpc", "log", "uptime"];
const familyName = new RegExp(`^ctpf_(${[...services, ...platformPrefixes].join("|")})_[a-z0-9_]+$`);

/** The families of each service (by prefix) the binary serves; fails on a name outside the scheme. */
async function familiesOf(binary: RunningBinary): Promise<Map<string, string[]>> {
  const metrics: MetricsText = await scrapeMetrics(binary);
  const byPrefix = new Map<string, string[]>();
  for (const name of metrics.families.keys()) {
    assert(familyName.test(name), `${name} is neither ctpf_<service>_ nor a platform family`);
    const prefix = name.split("_")[1];
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), name]);
  }
  return byPrefix;
}

/** The binary's log records (logfmt) as "component message". */
function recordsOf(binary: RunningBinary): Set<string> {
  const records = binary.output().matchAll(/ component=(\S+) msg=("(?:[^"\\]|\\.)*"|\S+)/g);
  return new Set([...records].map(([, component, message]) => `${component} ${message}`));
}

// TFTP on a free loopback port so bofied logs at start ("tftp listening"); necon logs its configuration.
const bofiedArgs = ["--tftp-listen", "127.0.0.1:0"];

Deno.test("names: every binary's metric families are ctpf_<service>_ or platform; services log under their own name", async () => {
  await using ctpf = await startBinary({ args: bofiedArgs });
  const all = await familiesOf(ctpf);
  assertEquals([...all.keys()].filter((prefix) => services.includes(prefix)).sort(), [
    "bofied",
    "builders",
    "deployers",
    "liwasc",
    "necon",
    "nodin",
  ]);
  const ctpfRecords = recordsOf(ctpf);
  for (const record of ctpfRecords) {
    assert(
      !/^ctpf\.(necon|bofied|liwasc|nodin|builders|deployers|gloeth)/.test(record),
      `a service logs as ${record} in ctpf`,
    );
  }

  // builders and deployers have no binary of their own: their families are checked in ctpf above.
  for (const service of ["necon", "bofied", "liwasc", "nodin"]) {
    await using single = await startBinary({
      entry: `cmd/${service}.ts`,
      args: service === "bofied" ? bofiedArgs : [],
    });
    const families = await familiesOf(single);
    assertEquals(
      [...families.keys()].filter((prefix) => services.includes(prefix)),
      [service],
      `${service} serves only its own service families`,
    );
    assertEquals(families.get(service), all.get(service), `${service}'s families, alone and in ctpf`);
    for (const prefix of platformPrefixes) assertEquals(families.get(prefix), all.get(prefix), prefix);
    // What the service logs under its name alone, it logs under the same name inside ctpf. (The single
    // binary's platform records carry the binary's name too: those are the ones ctpf logs as "ctpf".)
    const own = [...recordsOf(single)].filter((record) =>
      /^(\S+) (.*)$/.exec(record)![1].split(".")[0] === service &&
      !ctpfRecords.has(record.replace(/^\S+/, "ctpf"))
    );
    if (service !== "liwasc" && service !== "nodin") {
      assert(own.length > 0, `${service} logged nothing at start`);
    }
    for (const record of own) assert(ctpfRecords.has(record), `"${record}" in ${service}, not in ctpf`);
  }
});

Deno.test("names: the gloeth binary (a relay on loopback) serves ctpf_gloeth_* and logs as gloeth", async () => {
  const work = await Deno.makeTempDir({ prefix: "ctpf-names-gloeth-" });
  try {
    await initNetwork(`${work}/network`);
    await initNode(`${work}/network`, `${work}/node`, "a", 1);
    await using gloeth = await startBinary({
      entry: "cmd/gloeth.ts",
      args: ["--node-dir", `${work}/node`, "--tap", "", "--link-listen", "127.0.0.1:0"],
    });
    const families = await familiesOf(gloeth);
    assertEquals([...families.keys()].filter((prefix) => services.includes(prefix)), ["gloeth"]);
    assert(recordsOf(gloeth).has('gloeth "node up"'), gloeth.output());
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
