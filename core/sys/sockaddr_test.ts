import { assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { ifreqName, interfaceNameBytes, newIfreq } from "./ifreq.ts";
import { decodeSockaddrIn, decodeSockaddrLl, encodeSockaddrIn, encodeSockaddrLl } from "./sockaddr.ts";

Deno.test("sockaddr: sockaddr_in layout (family host order, port and address network order)", () => {
  const bytes = encodeSockaddrIn("192.168.1.2", 67);
  assertEquals(Array.from(bytes), [2, 0, 0, 67, 192, 168, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  assertEquals(decodeSockaddrIn(bytes, 16), { address: "192.168.1.2", port: 67 });
  assertThrows(() => decodeSockaddrIn(bytes, 4), RangeError);
  assertThrows(() => encodeSockaddrIn("1.2.3.4", 65536), RangeError);
});

Deno.test("sockaddr: sockaddr_ll layout", () => {
  const bytes = encodeSockaddrLl(7, 0x0806);
  assertEquals(Array.from(bytes.subarray(0, 8)), [17, 0, 0x08, 0x06, 7, 0, 0, 0]);
  bytes[10] = 4;
  assertEquals(decodeSockaddrLl(bytes, 20), { ethertype: 0x0806, ifindex: 7, packetType: 4 });
});

Deno.test("ifreq: interface names are checked against IFNAMSIZ", () => {
  assertStrictEquals(interfaceNameBytes("eth0").length, 16);
  assertStrictEquals(ifreqName(newIfreq("abcdefghijklmno").bytes), "abcdefghijklmno");
  for (const bad of ["", "abcdefghijklmnop", "a/b", "a\0b"]) {
    assertThrows(() => interfaceNameBytes(bad), RangeError, JSON.stringify(bad));
  }
});
