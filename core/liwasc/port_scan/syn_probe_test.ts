import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { decodeTcp, encodeTcp, TCP_SYN } from "../../net/tcp.ts";
import { SynProbeWriter } from "./syn_probe.ts";

const mss1460 = new Uint8Array([2, 4, 0x05, 0xb4]);

Deno.test("syn probe: the same bytes as encodeTcp, checksum included, for edge and random values", () => {
  const cases: [number, number, number, number, number][] = [
    // source port, source, destination, destination port, sequence
    [40_000, 0x0a4d0001, 0x0a4d000a, 22, 0],
    [1, 0, 0, 0, 0],
    [65535, 0xffffffff, 0xffffffff, 65535, 0xffffffff],
    [59_999, 0xc0a80101, 0x0a000001, 1, 0x80000000],
  ];
  let seed = 0x2545f491;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 2000; i++) {
    cases.push([random() & 0xffff, random(), random(), random() & 0xffff, random()]);
  }
  for (const [sourcePort, source, destination, destinationPort, sequence] of cases) {
    const writer = new SynProbeWriter({ sourcePort, window: 1024, options: mss1460 });
    const into = new Uint8Array(64).fill(0xee);
    const length = writer.write(into, writer.addressSum(source, destination), destinationPort, sequence);
    const expected = encodeTcp(
      { sourcePort, destinationPort, sequence, flags: TCP_SYN, window: 1024, options: mss1460 },
      { source, destination },
    );
    assertEquals(
      into.subarray(0, length),
      expected,
      `${sourcePort} ${source} ${destination} ${destinationPort}`,
    );
    const decodedSegment = decodeTcp(into.subarray(0, length), { source, destination });
    assertEquals(decodedSegment.ok && decodedSegment.value.checksumValid, true);
  }
});

Deno.test("syn probe: options that are not whole words are refused", () => {
  assertThrows(
    () => new SynProbeWriter({ sourcePort: 1, window: 1, options: new Uint8Array(3) }),
    RangeError,
  );
});
