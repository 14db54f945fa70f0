import { toHexString } from "../bytes.ts";
import { assertEquals } from "../../testing/assert.ts";
import { pxeAnswerOptions } from "./pxe_answer.ts";
import { hex } from "./testdata/captures.ts";

const entries = (map: Map<number, Uint8Array>) => [...map].map(([code, value]) => [code, toHexString(value)]);
const PXECLIENT = "505845436c69656e74";

Deno.test("pxe answer: a PXE client given its boot file gets PXEClient and 'boot it' (43 = 06 01 08 ff)", () => {
  assertEquals(entries(pxeAnswerOptions({ vendorClass: "PXEClient", bootFile: "ipxe.efi" })), [
    [60, PXECLIENT],
    [43, "060108ff"],
  ]);
});

Deno.test("pxe answer: a proxy offer asking for port 4011 is BINL (no 43); the 4011 answer echoes the boot item", () => {
  assertEquals(
    entries(pxeAnswerOptions({ vendorClass: "PXEClient", bootFile: "ipxe.efi", bootNow: false })),
    [[60, PXECLIENT]],
  );
  assertEquals(
    entries(pxeAnswerOptions({
      vendorClass: "PXEClient",
      bootFile: "ipxe.efi",
      requestVendorOptions: hex("470400000000ff"),
    })),
    [[60, PXECLIENT], [43, "060108470400000000ff"]],
  );
  // A malformed option 43 from the client loses only the echo.
  assertEquals(
    entries(pxeAnswerOptions({ vendorClass: "PXEClient", bootFile: "x", requestVendorOptions: hex("4702") })),
    [[60, PXECLIENT], [43, "060108ff"]],
  );
});

Deno.test("pxe answer: no boot file, HTTP boot and non-PXE clients get no option 43", () => {
  assertEquals(entries(pxeAnswerOptions({ vendorClass: "PXEClient" })), [[60, PXECLIENT]]);
  assertEquals(entries(pxeAnswerOptions({ vendorClass: "HTTPClient", bootFile: "http://x/ipxe.efi" })), [
    [60, "48545450436c69656e74"],
  ]);
  assertEquals(entries(pxeAnswerOptions({ bootFile: "ipxe.efi" })), []);
});
