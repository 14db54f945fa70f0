import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { jsonMessages } from "./json_stream.ts";
import { decodeTrace, decodeTraceAux, TraceDecodeError, type TraceUpdate } from "./trace.ts";

// Captured from Debian's dockerd 20.10 building an ipxe-like Dockerfile (/build?version=2), first cold,
// then again with every step cached.
const here = new URL("./testdata/", import.meta.url);

async function traces(file: string): Promise<TraceUpdate[]> {
  const body = (await Deno.open(new URL(file, here))).readable;
  const updates: TraceUpdate[] = [];
  for await (const message of jsonMessages(body)) {
    if (message.id === "moby.buildkit.trace") updates.push(decodeTraceAux(message.aux as string));
  }
  return updates;
}

Deno.test("trace: a real build's steps, times and logs decode", async () => {
  const updates = await traces("ipxe_build_trace.jsonl");
  const vertexes = updates.flatMap((u) => u.vertexes);
  const run = vertexes.filter((v) => v.name.startsWith("[build 3/3] RUN cp /usr/lib/ipxe/ipxe.efi /out/"));
  assert(run.length >= 2, "the RUN step is announced, then started and completed");
  const done = run.find((v) => v.completed !== undefined)!;
  assert(done.started! <= done.completed!, "started before completed");
  assert(done.started! > Date.UTC(2026, 0, 1) && done.started! < Date.UTC(2030, 0, 1), `${done.started}`);
  assertEquals(done.digest.startsWith("sha256:"), true);
  assertEquals(done.cached, false);
  const logs = updates.flatMap((u) => u.logs).filter((l) => l.vertex === done.digest);
  const text = logs.map((l) => new TextDecoder().decode(l.data)).join("");
  assertEquals(text, "hello-log\nboot.ipxe\nipxe.efi\n");
  assertEquals(logs[0].stream, 1);
});

Deno.test("trace: the second, identical build reports its steps cached", async () => {
  const vertexes = (await traces("ipxe_build_trace_cached.jsonl")).flatMap((u) => u.vertexes);
  const run = vertexes.filter((v) => v.name.includes("RUN cp /usr/lib/ipxe/ipxe.efi"));
  assert(run.length > 0 && run.at(-1)!.cached && run.at(-1)!.completed, "the RUN step completes as cached");
});

Deno.test("trace: hand-made vector (field numbers of buildkit's control.proto)", () => {
  // StatusResponse{ vertexes: [{digest:"d", name:"n", cached:true, started:{seconds:2,nanos:5e6}}],
  //                 logs: [{vertex:"d", stream:2, msg:"hi"}], statuses: [{ID:"x"}] (skipped) }
  const bytes = new Uint8Array([
    0x0a,
    0x11,
    0x0a,
    0x01,
    0x64,
    0x1a,
    0x01,
    0x6e,
    0x20,
    0x01,
    0x2a,
    0x07,
    0x08,
    0x02,
    0x10,
    0xc0,
    0x96,
    0xb1,
    0x02,
    0x12,
    0x03,
    0x0a,
    0x01,
    0x78,
    0x1a,
    0x09,
    0x0a,
    0x01,
    0x64,
    0x18,
    0x02,
    0x22,
    0x02,
    0x68,
    0x69,
  ]);
  assertEquals(decodeTrace(bytes), {
    vertexes: [{ digest: "d", name: "n", cached: true, started: 2005 }],
    logs: [{ vertex: "d", stream: 2, data: new Uint8Array([0x68, 0x69]) }],
  });
});

Deno.test("trace: malformed input is a TraceDecodeError", () => {
  assertThrows(() => decodeTraceAux("%%%"), TraceDecodeError);
  assertThrows(() => decodeTrace(new Uint8Array([0x0a, 0x10, 0x0a])), TraceDecodeError);
  assertThrows(() => decodeTrace(new Uint8Array([0x0a, 0x03, 0x0a, 0x05, 0x64])), TraceDecodeError);
});

Deno.test("trace: fuzz — mutated real messages decode or fail with TraceDecodeError only", async () => {
  const body = (await Deno.open(new URL("ipxe_build_trace.jsonl", here))).readable;
  const seeds: Uint8Array[] = [];
  for await (const message of jsonMessages(body)) {
    if (message.id === "moby.buildkit.trace") {
      seeds.push(Uint8Array.from(atob(message.aux as string), (c) => c.charCodeAt(0)));
    }
  }
  let state = 0x2545f491;
  const random = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  let decoded = 0, refused = 0;
  for (let i = 0; i < 5000; i++) {
    const seed = seeds[random(seeds.length)];
    const bytes = seed.slice(0, 1 + random(seed.length));
    for (let j = random(4); j >= 0; j--) bytes[random(bytes.length)] = random(256);
    try {
      decodeTrace(bytes);
      decoded++;
    } catch (error) {
      if (!(error instanceof TraceDecodeError)) throw error;
      refused++;
    }
  }
  assert(decoded > 0 && refused > 0, `decoded ${decoded}, refused ${refused}`);
});
