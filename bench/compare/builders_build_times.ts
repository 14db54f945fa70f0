// Build time per builder, cold (BuildKit's cache emptied) and cached (the identical build again), for
// builders (Engine API `/build?version=2`, artifacts copied out of a created container) and, on the same
// Dockerfile and context, Debian's docker CLI with BuildKit and `-o type=local` (a session streams the files
// back): the peer for the engine's own overhead. Rom-o-matic, netboot.xyz's builds, Packer, mkosi, pi-gen
// and Alpine's mkimage cannot run here (no network, no registry); their figures are not compared.
// One test dockerd; each kind's base image is made and imported once beforehand and not timed. Inputs
// given as URLs (ISOs, images, tarballs) are served on loopback, as in the tests.
// Debian packages: docker.io (dockerd and /usr/bin/docker), debootstrap, xorriso.
import { join } from "node:path";
import { checkParameters, type Parameters } from "../../core/builders/kind.ts";
import { finished, startBuilders } from "../../core/builders/testing/fixture.ts";
import { serveInputs } from "../../tests/builders/support/inputs.ts";
import { builderSamples } from "../../tests/builders/support/samples.ts";

const runs = Number(Deno.env.get("CTPF_BENCH_BUILDER_RUNS") ?? 3);
const only = Deno.env.get("CTPF_BENCH_BUILDER_ONLY");

await using fixture = await startBuilders();
const { builders, dockerd } = fixture;
const inputsDir = join(fixture.dir, "inputs");
await Deno.mkdir(inputsDir);
await using inputs = serveInputs(inputsDir);

/** Every artifact's name and digest of each build, per sample: cold builds must give the same bytes. */
const outputs = new Map<string, Set<string>>();

async function ours(kind: string, parameters: Parameters, label: string): Promise<number> {
  const started = performance.now();
  const build = await finished(builders, builders.create(kind, parameters, "bench").id, 1_800_000);
  const ms = performance.now() - started;
  if (build.state !== "succeeded") throw new Error(`${kind}: build ${build.state}: ${build.error}`);
  const digests = build.artifacts.map((a) => `${a.name}=${a.sha256}`).sort().join(" ");
  outputs.set(label, (outputs.get(label) ?? new Set()).add(digests));
  return ms;
}

async function dockerCli(kind: string, parameters: Parameters): Promise<number> {
  const builderKind = builders.kinds.get(kind)!;
  const template = await builderKind.template(checkParameters(builderKind, parameters));
  const context = await Deno.makeTempDir({ dir: fixture.dir, prefix: "context-" });
  const out = await Deno.makeTempDir({ dir: fixture.dir, prefix: "out-" });
  try {
    await Deno.writeTextFile(join(context, "Dockerfile"), template.dockerfile);
    for (const file of template.files) {
      await Deno.mkdir(join(context, file.name, ".."), { recursive: true });
      await Deno.writeFile(join(context, file.name), file.content, { mode: file.mode ?? 0o644 });
    }
    const started = performance.now();
    const result = await new Deno.Command("/usr/bin/docker", {
      args: ["build", "--network", "none", "-o", `type=local,dest=${out}`, context],
      env: { DOCKER_HOST: `unix://${dockerd.socketPath}`, DOCKER_BUILDKIT: "1", DOCKER_CONFIG: fixture.dir },
      stdout: "null",
      stderr: "piped",
    }).output();
    const ms = performance.now() - started;
    if (!result.success) {
      throw new Error(`docker build: ${new TextDecoder().decode(result.stderr).slice(-2000)}`);
    }
    return ms;
  } finally {
    await Deno.remove(context, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const show = (values: number[]) =>
  `${(median(values) / 1000).toFixed(1)} [${(Math.min(...values) / 1000).toFixed(1)}–${
    (Math.max(...values) / 1000).toFixed(1)
  }]`;

console.log(`builders: build time per builder, ${runs} runs, median [min–max] seconds`);
console.log(
  `${"sample".padEnd(34)} ${"builders cold".padEnd(18)} ${"builders cached".padEnd(18)} ` +
    `${"docker CLI cold".padEnd(18)} ${"docker CLI cached".padEnd(18)} output`,
);
for (const sample of builderSamples) {
  if (only && !sample.label.includes(only)) continue;
  const parameters = await sample.parameters(inputsDir, inputs.url);
  await ours(sample.kind, parameters, sample.label); // makes and imports the base image: not timed
  const times = {
    ours: { cold: [] as number[], cached: [] as number[] },
    cli: { cold: [] as number[], cached: [] as number[] },
  };
  for (let run = 0; run < runs; run++) {
    await dockerd.engine.pruneBuildCache();
    times.ours.cold.push(await ours(sample.kind, parameters, sample.label));
    times.ours.cached.push(await ours(sample.kind, parameters, sample.label));
    await dockerd.engine.pruneBuildCache();
    times.cli.cold.push(await dockerCli(sample.kind, parameters));
    times.cli.cached.push(await dockerCli(sample.kind, parameters));
  }
  // The same bytes from every build, cold (cache pruned) or cached: reproducible output.
  const reproducible = outputs.get(sample.label)!.size === 1 ? "same bytes" : "DIFFERENT bytes";
  console.log(
    `${sample.label.padEnd(34)} ${show(times.ours.cold).padEnd(18)} ${show(times.ours.cached).padEnd(18)} ` +
      `${show(times.cli.cold).padEnd(18)} ${show(times.cli.cached).padEnd(18)} ${reproducible}`,
  );
}
