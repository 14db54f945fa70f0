import { assertEquals, assertStrictEquals, assertThrows } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import {
  decodePxeBootItem,
  encodePxeVendorOptions,
  PXE_BOOT_ITEM,
  PXE_DISCOVERY_USE_BOOT_FILE,
} from "./pxe_vendor.ts";
import { hex } from "./testdata/captures.ts";

Deno.test("pxe vendor options: discovery control 8 is 06 01 08 and END, as EDK2 and iPXE read it", () => {
  assertEquals(
    encodePxeVendorOptions({ discoveryControl: PXE_DISCOVERY_USE_BOOT_FILE }),
    hex("060108ff"),
  );
  // A discovery answer names the boot item back: type 0x8001, layer 0 → 47 04 80 01 00 00.
  assertEquals(
    encodePxeVendorOptions({ discoveryControl: 8, bootItem: { type: 0x8001, layer: 0 } }),
    hex("060108" + "470480010000" + "ff"),
  );
  assertEquals(encodePxeVendorOptions({}), hex("ff"));
  assertThrows(() => encodePxeVendorOptions({ discoveryControl: 256 }), RangeError);
  assertThrows(() => encodePxeVendorOptions({ bootItem: { type: 0x10000, layer: 0 } }), RangeError);
});

Deno.test("pxe vendor options: the boot item of a discovery request, and none in a BINL request", () => {
  // EDK2's PxeBcDhcp4Discover option 43: sub-option 71 (type, layer), then END.
  assertStrictEquals(PXE_BOOT_ITEM, 71);
  assertEquals(unwrap(decodePxeBootItem(hex("47040000" + "0001" + "ff"))), { type: 0, layer: 1 });
  assertEquals(unwrap(decodePxeBootItem(hex("0000" + "4704ffff8003ff"))), {
    type: 0xffff,
    layer: 0x8003,
  });
  assertStrictEquals(unwrap(decodePxeBootItem(undefined)), undefined);
  assertStrictEquals(unwrap(decodePxeBootItem(hex("060108ff"))), undefined);
  const short = decodePxeBootItem(hex("470200ffff"));
  assertStrictEquals(
    short.ok ? "" : short.error.message,
    "pxe boot item: length 2, expected 4 (type and layer)",
  );
  assertStrictEquals(decodePxeBootItem(hex("4705")).ok, false);
});
