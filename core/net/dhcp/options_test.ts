import {
  assert,
  assertEquals,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { decodeDhcp, type DhcpMessage, encodeDhcp } from "./message.ts";
import {
  decodeOptionList,
  type DhcpOptions,
  encodeOptionList,
  OVERLOAD_BOTH,
  OVERLOAD_FILE,
  packOptions,
} from "./options.ts";
import { decodeDomainSearch } from "./domain_search.ts";
import { parameterRequestList, setParameterRequestList } from "./typed.ts";
import { hex } from "./testdata/captures.ts";

const bytesOf = (value: string) => new TextEncoder().encode(value);

function filled(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (seed + index * 7) & 0xff);
}

function request(options: DhcpOptions, fields: Partial<DhcpMessage> = {}): DhcpMessage {
  return {
    op: 2,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0x01020304,
    secs: 0,
    flags: 0,
    ciaddr: 0,
    yiaddr: 0x0a630577,
    siaddr: 0x0a630501,
    giaddr: 0,
    chaddr: Uint8Array.of(2, 0, 0, 0, 5, 0x0c),
    sname: "",
    file: "",
    options,
    ...fields,
  };
}

/** A message whose options field is `options` (hex), with `file` and `sname` bytes as given. */
function rawMessage(options: string, file = "", sname = ""): Uint8Array {
  const bytes = new Uint8Array(240 + options.length / 2);
  bytes[0] = 1;
  bytes[1] = 1;
  bytes[2] = 6;
  bytes.set(hex(sname), 44);
  bytes.set(hex(file), 108);
  bytes.set(hex("63825363"), 236);
  bytes.set(hex(options), 240);
  return bytes;
}

function failure(bytes: Uint8Array): string {
  const result = decodeDhcp(bytes);
  assertStrictEquals(result.ok, false);
  return result.ok ? "" : result.error.message;
}

Deno.test("options: RFC 3397's example is three instances of option 119 that RFC 3396 joins", () => {
  // eng.apple.com and marketing.apple.com, split 9 bytes at a time (RFC 3397 §2).
  const field = hex(
    "7709" + "03656e67056170706c" +
      "7709" + "6503636f6d0009" + "6d61" +
      "7709" + "726b6574696e67c004" +
      "ff",
  );
  const options = unwrap(decodeOptionList(field));
  assertEquals([...options.keys()], [119]);
  assertStrictEquals(options.get(119)!.length, 27);
  assertEquals(unwrap(decodeDomainSearch(options.get(119)!)), ["eng.apple.com", "marketing.apple.com"]);
});

Deno.test("options: instances of one code are joined in order, around other options and PAD", () => {
  const options = unwrap(
    decodeOptionList(hex("0c026162" + "0000" + "030401020304" + "0c026364" + "ff" + "0c0178")),
  );
  assertEquals([...options.keys()], [12, 3]);
  assertStrictEquals(new TextDecoder().decode(options.get(12)), "abcd");
  // A missing END is tolerated: the field simply ends.
  assertEquals([...unwrap(decodeOptionList(hex("350101" + "0c0178"))).keys()], [53, 12]);
});

Deno.test("options: values over 255 bytes go out as several instances and come back whole", () => {
  const long = filled(600, 3);
  const encoded = encodeOptionList(new Map([[53, Uint8Array.of(5)], [43, long], [80, new Uint8Array(0)]]));
  // 53 (3 bytes), 43 as 255 + 255 + 90 (606 bytes), 80 empty (2 bytes), END.
  assertStrictEquals(encoded.length, 3 + 606 + 2 + 1);
  assertEquals([encoded[3], encoded[4]], [43, 255]);
  assertEquals([encoded[3 + 257], encoded[3 + 258]], [43, 255]);
  assertEquals([encoded[3 + 514], encoded[3 + 515]], [43, 90]);
  assertEquals(encoded.subarray(609), hex("5000ff"));
  const decoded = unwrap(decodeOptionList(encoded));
  assertEquals(decoded.get(43), long);
  assertEquals(decoded.get(80), new Uint8Array(0));

  const message = request(new Map([[53, Uint8Array.of(5)], [43, long]]));
  const bytes = encodeDhcp(message, { maxSize: 1500 });
  assertStrictEquals(bytes.length, 240 + 3 + 606 + 1);
  assertEquals(unwrap(decodeDhcp(bytes)), message);
});

Deno.test("options: past maxSize they spill into file then sname under option 52 and decode the same", () => {
  const options: DhcpOptions = new Map([
    [53, Uint8Array.of(5)],
    [54, hex("0a630501")],
    [51, hex("00000e10")],
    [1, hex("ffffff00")],
    [3, hex("0a630501")],
    [6, hex("0a6305010a630502")],
    [17, bytesOf("/srv/nfs/ctpf/root/for/a/rather/long/path/name")],
    [43, filled(120, 1)],
    [119, filled(90, 2)],
    [121, filled(60, 3)],
    [150, filled(40, 4)],
    [12, bytesOf("a-host-name-of-some-length")],
  ]);
  const message = request(options);
  const bytes = encodeDhcp(message);
  assert(bytes.length <= 576 - 28, `${bytes.length} bytes exceed the 548 a 576-byte datagram holds`);
  assertEquals(bytes.subarray(240, 246), hex("350105340103"), "53 first, then 52 = 3 (both fields)");
  const decoded = unwrap(decodeDhcp(bytes));
  assertStrictEquals(decoded.sname, "");
  assertStrictEquals(decoded.file, "");
  assertEquals(decoded.options.get(52), Uint8Array.of(OVERLOAD_BOTH));
  decoded.options.delete(52);
  assertEquals(decoded, message);
  // The file field starts with an option and ends its list with END.
  assertNotStrictEquals(bytes[108], 0);
  // A receiver that allows more gets one plain options field.
  const roomy = encodeDhcp(message, { maxSize: 1500 });
  assertStrictEquals(unwrap(decodeDhcp(roomy)).options.has(52), false);
  assertEquals(unwrap(decodeDhcp(roomy)), message);
});

Deno.test("options: a value too large for any one field is split across fields and rejoined", () => {
  const options: DhcpOptions = new Map([
    [53, Uint8Array.of(2)],
    [17, filled(250, 9)],
    [43, filled(200, 5)],
  ]);
  const message = request(options);
  const bytes = encodeDhcp(message);
  const decoded = unwrap(decodeDhcp(bytes));
  assertEquals(decoded.options.get(43), options.get(43));
  decoded.options.delete(52);
  assertEquals(decoded, message);
});

Deno.test("options: only empty BOOTP fields take overflow; with none free the encoder throws", () => {
  const options: DhcpOptions = new Map([[53, Uint8Array.of(2)], [43, filled(250, 1)], [17, filled(100, 2)]]);
  const withFile = request(options, { file: "pxelinux.0" });
  const decoded = unwrap(decodeDhcp(encodeDhcp(withFile)));
  assertStrictEquals(decoded.file, "pxelinux.0");
  assertEquals(decoded.options.get(52), Uint8Array.of(2), "sname only");
  decoded.options.delete(52);
  assertEquals(decoded, withFile);
  assertThrows(
    () => encodeDhcp(request(options, { file: "pxelinux.0", sname: "boot" })),
    /take 358 bytes; they do not fit the 308 bytes of the options field and file and sname are in use/,
  );
  assertThrows(
    () => encodeDhcp(request(new Map([[43, filled(600, 1)]]))),
    /do not fit the 308 bytes of the options field even with file and sname overloaded/,
  );
});

Deno.test("options: maxSize below 576 means 576; option 52 in the map is the encoder's business", () => {
  const options: DhcpOptions = new Map([[53, Uint8Array.of(2)], [43, filled(300, 1)]]);
  assertEquals(encodeDhcp(request(options), { maxSize: 300 }), encodeDhcp(request(options)));
  const stale = request(new Map([[53, Uint8Array.of(2)], [52, Uint8Array.of(3)]]));
  assertEquals(encodeDhcp(stale).subarray(240, 244), hex("350102ff"));
});

Deno.test("options: packOptions places instances first-fit without reordering one code's pieces", () => {
  const fieldCodes = (field: Uint8Array) => {
    const codes: number[] = [];
    for (let offset = 0; field[offset] !== 255; offset += 2 + field[offset + 1]) codes.push(field[offset]);
    return codes;
  };
  const room = { options: 308, file: true, sname: true };
  // 304 bytes for options after 52 and END: 12 leaves 52; 43 (122) only fits file; 44 (62) only sname;
  // 3 (6) backfills the options field.
  const packed = packOptions(
    new Map([[12, filled(250, 1)], [43, filled(120, 2)], [44, filled(60, 3)], [3, hex("0a000001")]]),
    room,
  );
  assertStrictEquals(packed.overload, OVERLOAD_BOTH);
  assertEquals(Array.from(packed.options.subarray(0, 5)), [52, 1, 3, 12, 250]);
  assertEquals(fieldCodes(packed.options), [52, 12, 3]);
  assertEquals(fieldCodes(packed.file!), [43]);
  assertEquals(fieldCodes(packed.sname!), [44]);
  // 43 (152) fits no field whole: 94 bytes go in the options field, 56 in file; 6 follows it into file.
  const split = packOptions(
    new Map([[12, filled(200, 1)], [3, hex("0a000001")], [43, filled(150, 2)], [6, hex("0a000002")]]),
    room,
  );
  assertStrictEquals(split.overload, OVERLOAD_FILE);
  assertEquals(fieldCodes(split.options), [52, 12, 3, 43]);
  assertEquals(fieldCodes(split.file!), [43, 6]);
  assertStrictEquals(split.sname, undefined);
  const rejoined = unwrap(
    decodeDhcp(encodeDhcp(request(new Map([[43, filled(150, 2)], [12, filled(200, 1)]])))),
  );
  assertEquals(rejoined.options.get(43), filled(150, 2));
});

Deno.test("options: the parameter request list keeps the client's order through encode and decode", () => {
  const message = request(new Map([[53, Uint8Array.of(1)]]));
  setParameterRequestList(message, [121, 3, 1, 6, 119, 15, 3]);
  const decoded = unwrap(decodeDhcp(encodeDhcp(message)));
  assertEquals(parameterRequestList(decoded), { ok: true, value: [121, 3, 1, 6, 119, 15, 3] });
});

Deno.test("options: overload order is options, file, sname; 52 inside an overloaded field is ignored", () => {
  // 12 "a" in options, "b" in file, "c" in sname; the file also claims 52 = 1, which must not matter.
  const bytes = rawMessage("340103" + "0c0161" + "ff", "0c0162" + "340101" + "ff", "0c0163" + "ff");
  const message = unwrap(decodeDhcp(bytes));
  assertStrictEquals(new TextDecoder().decode(message.options.get(12)), "abc");
  assertEquals(message.options.get(52), Uint8Array.of(3));
  assertStrictEquals(message.sname, "");
  assertStrictEquals(message.file, "");
  // Overload 1: sname is a plain string even if it looks like options; file has no END (tolerated).
  const fileOnly = unwrap(decodeDhcp(rawMessage("340101ff", "0c0162", "0c0163")));
  assertStrictEquals(new TextDecoder().decode(fileOnly.options.get(12)), "b");
  assertStrictEquals(fileOnly.sname, "\x0c\x01c");
});

Deno.test("options: an unusable option 52 or a bad length in an overloaded field is structural", () => {
  assertStrictEquals(
    failure(rawMessage("340104ff")),
    "dhcp: option 52 (overload) is value 4, expected one byte of 1 (file), 2 (sname) or 3 (both)",
  );
  assertStrictEquals(
    failure(rawMessage("340100ff")),
    "dhcp: option 52 (overload) is value 0, expected one byte of 1 (file), 2 (sname) or 3 (both)",
  );
  assertStrictEquals(
    failure(rawMessage("34020101ff")),
    "dhcp: option 52 (overload) is 2 bytes long, expected one byte of 1 (file), 2 (sname) or 3 (both)",
  );
  assertStrictEquals(
    failure(rawMessage("340101" + "340101ff")),
    "dhcp: option 52 (overload) is 2 bytes long, expected one byte of 1 (file), 2 (sname) or 3 (both)",
  );
  assertStrictEquals(
    failure(rawMessage("340102ff", "", "0000" + "0c7f")),
    "dhcp: option 12 at byte 46 (sname field) has length 127, only 60 bytes follow",
  );
});
