// The request-head codec: RFC 9112 examples, heads captured live from real clients (curl, busybox wget,
// Deno's fetch) on loopback, every refusal, and a mutation fuzz that must never throw.
import { assert, assertEquals } from "../testing/assert.ts";
import { below, seededRandom } from "../testing/random.ts";
import { type HeadParse, MAX_HEAD_BYTES, parseRequestHead } from "./request_head.ts";

const encoder = new TextEncoder();
const parse = (text: string) => {
  const bytes = encoder.encode(text);
  return parseRequestHead(bytes, 0, bytes.length);
};
const request = (parsed: HeadParse) => {
  if (parsed.kind !== "request") throw new Error(`expected a request, got ${JSON.stringify(parsed)}`);
  return parsed;
};
const status = (parsed: HeadParse) => parsed.kind === "malformed" ? parsed.status : parsed.kind;

Deno.test("request head: RFC 9112 §3.2's example, with keep-alive and the consumed length", () => {
  const text = "GET /where?q=now HTTP/1.1\r\nHost: www.example.com\r\n\r\n";
  const parsed = request(parse(text + "GET /next HTTP/1.1\r\n"));
  assertEquals(parsed.consumed, text.length);
  assertEquals(parsed.head, {
    method: "GET",
    target: "/where?q=now",
    minorVersion: 1,
    host: "www.example.com",
    range: undefined,
    ifNoneMatch: undefined,
    keepAlive: true,
  });
});

Deno.test("request head: incomplete until the empty line, however the bytes are split", () => {
  const text = "HEAD /boot/x HTTP/1.1\r\nHost: h\r\nRange: bytes=0-9\r\n\r\n";
  const bytes = encoder.encode(text);
  for (let cut = 0; cut < bytes.length; cut++) {
    assertEquals(status(parseRequestHead(bytes, 0, cut)), "incomplete");
  }
  const whole = request(parseRequestHead(bytes, 0, bytes.length));
  assertEquals([whole.head.method, whole.head.range, whole.consumed], ["HEAD", "bytes=0-9", bytes.length]);
});

Deno.test("request head: resuming a scan finds the same end as scanning from the start", () => {
  const text = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
  const bytes = encoder.encode(text);
  let resumeAt = 0;
  for (let end = 1; end <= bytes.length; end++) {
    const parsed = parseRequestHead(bytes, 0, end, resumeAt);
    if (end < bytes.length) assertEquals(parsed.kind, "incomplete", `at ${end}`);
    else assertEquals(request(parsed).consumed, bytes.length);
    resumeAt = end;
  }
  assertEquals(status(parse("\r\n".repeat(9) + text)), 400);
});

Deno.test("request head: pipelined heads parse one after another from an offset", () => {
  const one = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n",
    two = "GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  const bytes = encoder.encode(one + two);
  const first = request(parseRequestHead(bytes, 0, bytes.length));
  const second = request(parseRequestHead(bytes, first.consumed, bytes.length));
  assertEquals([first.head.target, second.head.target, second.head.keepAlive], ["/a", "/b", false]);
  assertEquals(first.consumed + second.consumed, bytes.length);
});

Deno.test("request head: connection persistence follows RFC 9112 §9.3 for 1.0 and 1.1", () => {
  assertEquals(request(parse("GET / HTTP/1.0\r\n\r\n")).head.keepAlive, false);
  assertEquals(request(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).head.keepAlive, true);
  assertEquals(
    request(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n")).head.keepAlive,
    false,
  );
  assertEquals(
    request(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n")).head.keepAlive,
    true,
  );
});

Deno.test("request head: bare LF line ends and leading empty lines are accepted (RFC 9112 §2.2)", () => {
  const text = '\r\n\nGET /x HTTP/1.1\nHost: h\nIf-None-Match: "1-2"\n\n';
  const parsed = request(parse(text));
  assertEquals([parsed.head.target, parsed.head.ifNoneMatch, parsed.consumed], ["/x", '"1-2"', text.length]);
});

Deno.test("request head: malformed heads get the status a server must answer", () => {
  const cases: [string, number | string][] = [
    ["GET /x HTTP/1.1\r\n\r\n", 400], // no Host
    ["GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["GET  /x HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["GET /x\r\nHost: h\r\n\r\n", 400],
    ["G(T /x HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["GET /x HTTP/2.0\r\nHost: h\r\n\r\n", 505],
    ["GET /x HTTP/1.1\r\nHost : h\r\n\r\n", 400], // space before the colon (§5.1)
    ["GET /x HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400],
    ["GET /x HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400],
    ["GET /x HTTP/1.1\r\nHost: h\x01\r\n\r\n", 400],
    ["GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", 413],
    ["POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 413],
    ["GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", "request"],
    [`GET /x HTTP/1.1\r\nHost: h\r\n${"X-A: b\r\n".repeat(101)}\r\n`, 431],
    [`GET /x HTTP/1.1\r\nHost: h\r\nX: ${"a".repeat(MAX_HEAD_BYTES)}`, 431],
  ];
  for (const [text, expected] of cases) assertEquals(status(parse(text)), expected, JSON.stringify(text));
});

/** The exact head a real client sends, caught by a one-shot TCP listener on loopback. */
async function capture(client: (url: string) => string[]): Promise<Uint8Array> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${listener.addr.port}/boot/ipxe.efi?mac=52:54:00:00:00:01`;
  const [command, ...args] = client(url);
  const child = new Deno.Command(command, { args, stdout: "null", stderr: "null" }).spawn();
  const connection = await listener.accept();
  const chunks: number[] = [];
  const buffer = new Uint8Array(4096);
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !new TextDecoder().decode(new Uint8Array(chunks)).includes("\r\n\r\n")) {
    const read = await connection.read(buffer);
    if (read === null) break;
    chunks.push(...buffer.subarray(0, read));
  }
  connection.close();
  listener.close();
  child.kill();
  await child.status;
  return new Uint8Array(chunks);
}

const haveCommand = (name: string) =>
  new Deno.Command("sh", { args: ["-c", `command -v ${name}`] }).outputSync().success;

for (
  const [name, client] of [
    ["curl", (url: string) => ["curl", "-sS", "-r", "5-", url]],
    ["busybox wget", (url: string) => ["busybox", "wget", "-q", "-O", "/dev/null", url]],
  ] as const
) {
  Deno.test({
    name: `request head: a head captured from ${name} parses to its method, target, host`,
    ignore: !haveCommand(name.split(" ")[0]) && !Deno.env.get("CI"),
    async fn() {
      const bytes = await capture(client);
      const parsed = request(parseRequestHead(bytes, 0, bytes.length));
      assertEquals(parsed.consumed, bytes.length);
      assertEquals(parsed.head.method, "GET");
      assertEquals(parsed.head.target, "/boot/ipxe.efi?mac=52:54:00:00:00:01");
      assert(/^127\.0\.0\.1:\d+$/.test(parsed.head.host), parsed.head.host);
      if (name === "curl") assertEquals(parsed.head.range, "bytes=5-");
    },
  });
}

Deno.test("request head: mutated and random heads never throw and never claim more than was given", () => {
  const random = seededRandom(9112);
  const seeds = [
    "GET /boot/a HTTP/1.1\r\nHost: h\r\nRange: bytes=1-2\r\nConnection: close\r\n\r\n",
    'HEAD / HTTP/1.0\r\nConnection: keep-alive\r\nIf-None-Match: "a"\r\n\r\n',
  ].map((text) => encoder.encode(text));
  const counts = { request: 0, malformed: 0, incomplete: 0 };
  for (let round = 0; round < 20_000; round++) {
    let bytes: Uint8Array;
    if (round % 10 === 0) {
      bytes = new Uint8Array(below(random, 300)).map(() => below(random, 256));
    } else {
      bytes = seeds[round % 2].slice();
      for (let edits = 1 + below(random, 4); edits > 0; edits--) {
        const at = below(random, bytes.length);
        // Bias toward the bytes that matter to the grammar.
        bytes[at] = [0x0d, 0x0a, 0x20, 0x3a, 0x00, below(random, 256)][below(random, 6)];
      }
    }
    const start = below(random, 3);
    const end = Math.max(start, bytes.length - below(random, 3));
    const parsed = parseRequestHead(bytes, start, end);
    counts[parsed.kind]++;
    if (parsed.kind === "request") {
      assert(parsed.consumed > 0 && parsed.consumed <= end - start, `round ${round}`);
    }
  }
  assert(counts.request > 500 && counts.malformed > 1000 && counts.incomplete > 100, JSON.stringify(counts));
});
