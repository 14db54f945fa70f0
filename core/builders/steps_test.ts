import { assert, assertEquals } from "../testing/assert.ts";
import { jsonMessages } from "./docker/json_stream.ts";
import { decodeTraceAux } from "./docker/trace.ts";
import type { BuildStep } from "./model.ts";
import { MAX_STEP_LOG, mergeSteps } from "./steps.ts";

async function fold(file: string): Promise<BuildStep[]> {
  const body = (await Deno.open(new URL(`./docker/testdata/${file}`, import.meta.url))).readable;
  let steps: BuildStep[] = [];
  for await (const message of jsonMessages(body)) {
    if (message.id === "moby.buildkit.trace") {
      steps = mergeSteps({ steps }, decodeTraceAux(message.aux as string));
    }
  }
  return steps;
}

Deno.test("steps: a real build's trace folds into one step per vertex, with its whole log", async () => {
  const steps = await fold("ipxe_build_trace.jsonl");
  assertEquals(new Set(steps.map((s) => s.digest)).size, steps.length, "one step per digest");
  const run = steps.find((s) => s.name.includes("RUN cp"))!;
  assertEquals(run.log, "hello-log\nboot.ipxe\nipxe.efi\n");
  assert(run.started! <= run.completed!, "started, then completed");
  assert(steps.every((s) => s.completed !== undefined), "every step completed");
});

Deno.test("steps: the cached build's Dockerfile steps end cached", async () => {
  const steps = await fold("ipxe_build_trace_cached.jsonl");
  const dockerfile = steps.filter((s) => /^\[(build|stage-1) /.test(s.name) && !s.name.includes("FROM"));
  assertEquals(dockerfile.length, 3);
  assert(dockerfile.every((s) => s.cached), JSON.stringify(dockerfile));
});

Deno.test("steps: a step's log keeps only its last MAX_STEP_LOG characters; logs of unknown vertexes are dropped", () => {
  const chunk = new TextEncoder().encode("x".repeat(40_000));
  let steps = mergeSteps({ steps: [] }, { vertexes: [{ digest: "d", name: "n", cached: false }], logs: [] });
  for (let i = 0; i < 3; i++) {
    steps = mergeSteps({ steps }, { vertexes: [], logs: [{ vertex: "d", stream: 1, data: chunk }] });
  }
  steps = mergeSteps({ steps }, { vertexes: [], logs: [{ vertex: "other", stream: 1, data: chunk }] });
  assertEquals(steps.length, 1);
  assertEquals(steps[0].log.length, MAX_STEP_LOG);
});
