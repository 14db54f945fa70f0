import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { jsonMessages, JsonStreamError } from "./json_stream.ts";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return ReadableStream.from(chunks.map((chunk) => encoder.encode(chunk)));
}

Deno.test("json stream: messages split anywhere across chunks, blank lines and a last line without newline", async () => {
  const messages = await Array.fromAsync(
    jsonMessages(streamOf('{"stream":"a', '"}\n\n{"id":"x","aux":{"ID":"sha', '256:1"}}\r\n{"status":"é"}')),
  );
  assertEquals(messages, [{ stream: "a" }, { id: "x", aux: { ID: "sha256:1" } }, { status: "é" }]);
});

Deno.test("json stream: a line that is not a JSON object is a JsonStreamError", async () => {
  await assertRejects(() => Array.fromAsync(jsonMessages(streamOf("not json\n"))), JsonStreamError);
  await assertRejects(() => Array.fromAsync(jsonMessages(streamOf("[1]\n"))), JsonStreamError);
  await assertRejects(() => Array.fromAsync(jsonMessages(streamOf("null\n"))), JsonStreamError);
});

Deno.test("json stream: the UTF-8 of one character split across chunks decodes whole", async () => {
  const bytes = new TextEncoder().encode('{"stream":"ü"}\n');
  const cut = bytes.indexOf(0xc3) + 1;
  const stream = ReadableStream.from([bytes.slice(0, cut), bytes.slice(cut)]);
  assertEquals(await Array.fromAsync(jsonMessages(stream)), [{ stream: "ü" }]);
});
