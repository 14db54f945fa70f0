import assert from "node:assert/strict";
import { unwrap } from "../errors.ts";
import {
  decodePxeBootItem,
  encodePxeVendorOptions,
  PXE_BOOT_ITEM,
  PXE_DISCOVERY_USE_BOOT_FILE,
} from "./pxe_vendor.ts";
import { hex } from "./testdata/captures.ts";

Deno.test("pxe vendor options: discovery control 8 is 06 01 08 and END, as EDK2 and iPXE read it", () => {
  assert.deepEqual(
    encodePxeVendorOptions({ discoveryControl: PXE_DISCOVERY_USE_BOOT_FILE }),
    hex("060108ff"),
  );
  // A discovery answer names the boot item back: type 0x8001, layer 0 → 47 04 80 01 00 00.
  assert.deepEqual(
    encodePxeVendorOptions({ discoveryControl: 8, bootItem: { type: 0x8001, layer: 0 } }),
    hex("060108" + "470480010000" + "ff"),
  );
  assert.deepEqual(encodePxeVendorOptions({}), hex("ff"));
  assert.throws(() => encodePxeVendorOptions({ discoveryControl: 256 }), RangeError);
  assert.throws(() => encodePxeVendorOptions({ bootItem: { type: 0x10000, layer: 0 } }), RangeError);
});

Deno.test("pxe vendor options: the boot item of a discovery request, and none in a BINL request", () => {
  // EDK2's PxeBcDhcp4Discover option 43: sub-option 71 (type, layer), then END.
  assert.equal(PXE_BOOT_ITEM, 71);
  assert.deepEqual(unwrap(decodePxeBootItem(hex("47040000" + "0001" + "ff"))), { type: 0, layer: 1 });
  assert.deepEqual(unwrap(decodePxeBootItem(hex("0000" + "4704ffff8003ff"))), {
    type: 0xffff,
    layer: 0x8003,
  });
  assert.equal(unwrap(decodePxeBootItem(undefined)), undefined);
  assert.equal(unwrap(decodePxeBootItem(hex("060108ff"))), undefined);
  const short = decodePxeBootItem(hex("470200ffff"));
  assert.equal(short.ok ? "" : short.error.message, "pxe boot item: length 2, expected 4 (type and layer)");
  assert.equal(decodePxeBootItem(hex("4705")).ok, false);
});
