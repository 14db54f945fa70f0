import { toHexString } from "../bytes.ts";
import { assertEquals } from "../../testing/assert.ts";
import { parseIpv4 } from "../ipv4addr.ts";
import { bootAnswerOptions } from "./boot_reply.ts";

const entries = (map: Map<number, Uint8Array>) => [...map].map(([code, value]) => [code, toHexString(value)]);
const text = (value: string) => toHexString(new TextEncoder().encode(value));

Deno.test("boot reply: a PXE answer's options in wire order: 60, 43, 66, 67, 150", () => {
  const answer = {
    vendorClass: "PXEClient",
    bootFile: "ipxe.efi",
    tftpServerName: "boot.lab",
    tftpServers: [parseIpv4("10.0.0.1"), parseIpv4("10.0.0.2")],
  };
  assertEquals(entries(bootAnswerOptions(answer)), [
    [60, text("PXEClient")],
    [43, "060108ff"],
    [66, text("boot.lab")],
    [67, text("ipxe.efi")],
    [150, "0a0000010a000002"],
  ]);
});

Deno.test("boot reply: a proxy offer is BINL; a discovery request's boot item is answered back", () => {
  const answer = { vendorClass: "PXEClient", bootFile: "ipxe.efi" };
  assertEquals(entries(bootAnswerOptions(answer, { bootNow: false })), [
    [60, text("PXEClient")],
    [67, text("ipxe.efi")],
  ]);
  const item = Uint8Array.of(71, 4, 0, 0, 0, 0, 255);
  assertEquals(entries(bootAnswerOptions(answer, { requestVendorOptions: item })), [
    [60, text("PXEClient")],
    [43, "060108470400000000ff"],
    [67, text("ipxe.efi")],
  ]);
});

Deno.test("boot reply: no answer, no options; a class-less answer gets only its file", () => {
  assertEquals(entries(bootAnswerOptions(undefined)), []);
  assertEquals(entries(bootAnswerOptions({ bootFile: "pxelinux.0" })), [[67, text("pxelinux.0")]]);
});
