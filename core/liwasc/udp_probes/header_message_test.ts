import { assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { readHeaderMessage } from "./header_message.ts";
import { ascii } from "./testdata/bytes.ts";

Deno.test("header message: start line and first values by lower-cased name", () => {
  const message = readHeaderMessage(ascii("HTTP/1.1 200 OK\r\nST: a\r\nServer:  x y \r\nst: b\r\n\r\nbody"));
  assertStrictEquals(message?.startLine, "HTTP/1.1 200 OK");
  assertEquals([...message!.headers], [["st", "a"], ["server", "x y"]]);
});

Deno.test("header message: bare LF, folded lines, empty values", () => {
  const message = readHeaderMessage(ascii("SIP/2.0 200 OK\nCSeq: 1\n OPTIONS\nEXT:\n\n"));
  assertEquals([...message!.headers], [["cseq", "1 OPTIONS"], ["ext", ""]]);
  const repeated = readHeaderMessage(ascii("X 1\r\nA: 1\r\nA: 2\r\n folded\r\n\r\n"));
  assertEquals(
    [...repeated!.headers],
    [["a", "1"]],
    "a repeated header's continuation is dropped with it",
  );
});

Deno.test("header message: truncated blocks and lines that are not headers are refused", () => {
  for (
    const text of [
      "HTTP/1.1 200 OK\r\nST: a\r\n",
      "HTTP/1.1 200 OK\r\nST: a\r\n\r",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
      "HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n",
      "HTTP/1.1 200 OK\r\n continuation first\r\n\r\n",
      "",
    ]
  ) {
    assertStrictEquals(readHeaderMessage(ascii(text)), undefined, JSON.stringify(text));
  }
});
