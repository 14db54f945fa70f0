// necon against ISC Kea (kea-dhcp4, memfile leases) under perfdhcp, in the same run, in network
// namespaces made here: a ladder of offered rates; reported per server: the achieved 4-way exchange rate,
// drops and delays at each step. Needs root and Debian's kea-dhcp4-server and kea-admin (perfdhcp).
import {
  type Lab,
  type Netns,
  requireTools,
  spawnBackground,
  waitFor,
  withLab,
} from "../../tests/harness/mod.ts";
import { startNecon } from "../../tests/necon/lab.ts";

const rates = (Deno.env.get("CTPF_BENCH_RATES") ?? "1000,4000,8000,16000").split(",").map(Number);
const seconds = Number(Deno.env.get("CTPF_BENCH_SECONDS") ?? 8);

interface Step {
  offered: number;
  achieved: number;
  dropsDiscover: number;
  dropsRequest: number;
  avgDelayMs: number;
}

function parsePerfdhcp(text: string, offered: number): Step {
  const number = (pattern: RegExp, from = text) => Number(pattern.exec(from)?.[1] ?? NaN);
  const [, discover = "", request = ""] = text.split(/\*\*\*Statistics for: /);
  return {
    offered,
    achieved: number(/Rate: ([\d.]+) 4-way exchanges\/second/),
    dropsDiscover: number(/drops: (\d+)/, discover),
    dropsRequest: number(/drops: (\d+)/, request),
    avgDelayMs: number(/avg delay: ([\d.]+) ms/, request),
  };
}

async function ladder(client: Netns): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of rates) {
    // -R: distinct client MACs so every exchange is a new lease; -W: wait for late replies.
    const run = await client.run([
      "perfdhcp",
      "-4",
      "-l",
      "eth0",
      "-r",
      String(rate),
      "-p",
      String(seconds),
      "-R",
      "60000",
      "-W",
      "1000000",
      "10.70.0.1",
    ], { timeoutMs: (seconds + 20) * 1000, check: false });
    const step = parsePerfdhcp(run.stdout + run.stderr, rate);
    if (Number.isNaN(step.achieved)) throw new Error(`perfdhcp gave no rate:\n${run.stdout}${run.stderr}`);
    steps.push(step);
  }
  return steps;
}

async function network(lab: Lab): Promise<{ server: Netns; client: Netns }> {
  const server = await lab.netns(), client = await lab.netns();
  await lab.veth(server, "s0", client, "eth0");
  await server.addAddress("s0", "10.70.0.1/16");
  // perfdhcp acts as a relay (giaddr = its own address) and needs one on its interface.
  await client.addAddress("eth0", "10.70.0.2/16");
  await Promise.all([server.up("lo"), server.up("s0"), client.up("eth0")]);
  return { server, client };
}

const subnet = {
  cidr: "10.70.0.0/16",
  pools: [{ start: "10.70.1.0", end: "10.70.254.254" }],
  leaseSeconds: 3600,
};

async function benchNecon(lab: Lab): Promise<Step[]> {
  const { server, client } = await network(lab);
  const dir = await Deno.makeTempDir({ prefix: "ctpf-bench-necon-" });
  try {
    await Deno.writeTextFile(`${dir}/necon.json`, JSON.stringify({ interfaces: ["s0"], subnets: [subnet] }));
    await using _necon = await startNecon(server, `${dir}/necon.json`, `${dir}/data`, "info"); // "listening" is logged at info; leases at debug
    return await ladder(client);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function benchKea(lab: Lab): Promise<Step[]> {
  const { server, client } = await network(lab);
  const dir = await Deno.makeTempDir({ prefix: "ctpf-bench-kea-" });
  try {
    const config = {
      Dhcp4: {
        "interfaces-config": { interfaces: ["s0"], "dhcp-socket-type": "raw" },
        "lease-database": { type: "memfile", persist: true, name: `${dir}/leases.csv`, "lfc-interval": 0 },
        "valid-lifetime": 3600,
        subnet4: [{ id: 1, subnet: subnet.cidr, pools: [{ pool: "10.70.1.0 - 10.70.254.254" }] }],
        loggers: [{ name: "kea-dhcp4", severity: "ERROR", output_options: [{ output: `${dir}/kea.log` }] }],
      },
    };
    await Deno.writeTextFile(`${dir}/kea.json`, JSON.stringify(config));
    const kea = spawnBackground(["kea-dhcp4", "-c", `${dir}/kea.json`], {
      netns: server.name,
      env: { KEA_PIDFILE_DIR: dir, KEA_LOCKFILE_DIR: dir },
    });
    try {
      await waitFor(async () => (await server.run(["ss", "-lun"], { check: false })).stdout.includes(":67"), {
        what: "kea-dhcp4 listening",
        // kea-dhcp4 took over 10 s to open its sockets once, with tests running beside it.
        timeoutMs: 30_000,
        describe: () => kea.output(),
      });
      return await ladder(client);
    } finally {
      await kea.stop(2000);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

await requireTools("perfdhcp", "kea-dhcp4", "ss");
const results: Record<string, Step[]> = {};
results.necon = await withLab(benchNecon);
results["kea-dhcp4"] = await withLab(benchKea);
console.log(`perfdhcp, ${seconds} s per step, new client MAC per exchange (60000), ${Deno.build.target}`);
console.log("server     offered/s  achieved/s  drops(D-O)  drops(R-A)  avg R-A delay ms");
for (const [name, steps] of Object.entries(results)) {
  for (const s of steps) {
    console.log(
      `${name.padEnd(10)} ${String(s.offered).padStart(9)}  ${s.achieved.toFixed(1).padStart(10)}  ` +
        `${String(s.dropsDiscover).padStart(10)}  ${String(s.dropsRequest).padStart(10)}  ${
          s.avgDelayMs.toFixed(3).padStart(16)
        }`,
    );
  }
}
