import assert from "node:assert/strict";
import { ifreqName, interfaceNameBytes, newIfreq } from "./ifreq.ts";
import { decodeSockaddrIn, decodeSockaddrLl, encodeSockaddrIn, encodeSockaddrLl } from "./sockaddr.ts";

Deno.test("sockaddr: sockaddr_in layout (family host order, port and address network order)", () => {
  const bytes = encodeSockaddrIn("192.168.1.2", 67);
  assert.deepEqual(Array.from(bytes), [2, 0, 0, 67, 192, 168, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(decodeSockaddrIn(bytes, 16), { address: "192.168.1.2", port: 67 });
  assert.throws(() => decodeSockaddrIn(bytes, 4), RangeError);
  assert.throws(() => encodeSockaddrIn("1.2.3.4", 65536), RangeError);
});

Deno.test("sockaddr: sockaddr_ll layout", () => {
  const bytes = encodeSockaddrLl(7, 0x0806);
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [17, 0, 0x08, 0x06, 7, 0, 0, 0]);
  bytes[10] = 4;
  assert.deepEqual(decodeSockaddrLl(bytes, 20), { ethertype: 0x0806, ifindex: 7, packetType: 4 });
});

Deno.test("ifreq: interface names are checked against IFNAMSIZ", () => {
  assert.equal(interfaceNameBytes("eth0").length, 16);
  assert.equal(ifreqName(newIfreq("abcdefghijklmno").bytes), "abcdefghijklmno");
  for (const bad of ["", "abcdefghijklmnop", "a/b", "a\0b"]) {
    assert.throws(() => interfaceNameBytes(bad), RangeError, JSON.stringify(bad));
  }
});
