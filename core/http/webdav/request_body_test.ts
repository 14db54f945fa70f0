import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { BodyTooLargeError, readBodyText, readXmlBody } from "./request_body.ts";
import { MalformedXmlError } from "./xml.ts";

const request = (body: BodyInit | null) => new Request("http://h/", { method: "POST", body });

Deno.test("request bodies: read up to a limit, UTF-8 only; blank XML is no body", async () => {
  assertEquals(await readBodyText(request("héllo"), 6), "héllo");
  assertEquals(await readBodyText(request(null), 0), "");
  await assertRejects(() => readBodyText(request("x".repeat(11)), 10), BodyTooLargeError);
  await assertRejects(() => readBodyText(request(new Uint8Array([0xff, 0xfe])), 10), MalformedXmlError);
  assertEquals(await readXmlBody(request(" \n")), undefined);
  assertEquals((await readXmlBody(request(`<a xmlns="DAV:"/>`)))?.namespaceURI, "DAV:");
  await assertRejects(() => readXmlBody(request("<a>")), MalformedXmlError);
});
