// gloeth's per-frame crypto: the Rust WASM AEAD against node:crypto's (OpenSSL), and the whole WASM
// frame path (seal at one node, open at the other). 1400 bytes is a full frame under a typical underlay
// MTU; 64 KiB is a TSO super-frame. MB/s = bytes / the reported time per iteration.
import { AEAD_NONCE_LENGTH, nodeCryptoAead } from "../core/gloeth/crypto/aead.ts";
import { createWasmAead } from "../core/gloeth/wasm/wasm_aead.ts";
import { Inbound, WasmFramePath } from "../core/gloeth/wasm/frame_path.ts";

const wasmAead = createWasmAead();
const key = crypto.getRandomValues(new Uint8Array(32));
const nonce = new Uint8Array(AEAD_NONCE_LENGTH);
const aad = new Uint8Array(42);

for (const size of [1400, 65_536]) {
  const frame = crypto.getRandomValues(new Uint8Array(size));
  const sealed = nodeCryptoAead.seal(key, nonce, frame, aad);
  for (const [name, aead] of [["node:crypto", nodeCryptoAead], ["wasm", wasmAead]] as const) {
    const group = `gloeth aead ${size} B`;
    Deno.bench(
      `${name}: seal ${size} B`,
      { group: `${group} seal`, baseline: name === "node:crypto" },
      () => {
        aead.seal(key, nonce, frame, aad);
      },
    );
    Deno.bench(
      `${name}: open ${size} B`,
      { group: `${group} open`, baseline: name === "node:crypto" },
      () => {
        if (!aead.open(key, nonce, sealed, aad)) throw new Error("not opened");
      },
    );
  }
}

const A = "aa".repeat(16);
const B = "bb".repeat(16);
const forward = crypto.getRandomValues(new Uint8Array(32));
const backward = crypto.getRandomValues(new Uint8Array(32));
const sender = new WasmFramePath({ myId: A, portHeader: 0, recordType: 1, hopLimit: 16 });
const receiver = new WasmFramePath({ myId: B, portHeader: 0, recordType: 1, hopLimit: 16 });
sender.setKeys(B, { sendKey: forward, receiveKey: backward });
receiver.setKeys(A, { sendKey: backward, receiveKey: forward });
sender.setRoutes(new Map([[B, B]]));

for (const size of [1400, 65_536]) {
  const frame = crypto.getRandomValues(new Uint8Array(size));
  frame[0] = 0xff; // a group address: sealed for the one routed node
  let record: Uint8Array = new Uint8Array(0);
  const keep = (_hop: string, sealed: Uint8Array) => record = sealed;
  // Each open needs a fresh counter, so the path is measured as one seal and one open together.
  Deno.bench(`wasm frame path: seal + open ${size} B`, { group: "gloeth frame path" }, () => {
    sender.send(frame, 0, keep);
    if (receiver.receive(record, 0) !== Inbound.delivered) throw new Error("frame dropped");
  });
}
