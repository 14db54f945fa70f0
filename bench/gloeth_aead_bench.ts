// gloeth's per-frame crypto cost with the node:crypto AEAD, the baseline the Rust WASM AEAD must beat.
// 1400 bytes is a full frame under a typical underlay MTU. MB/s = 1400 B / the reported time per iteration.
import { AEAD_NONCE_LENGTH, nodeCryptoAead } from "../core/gloeth/crypto/aead.ts";
import { FRAME_KIND_UNICAST } from "../core/gloeth/crypto/frame_header.ts";
import { PairChannel } from "../core/gloeth/crypto/frame_seal.ts";

const FRAME_BYTES = 1400;
const frame = crypto.getRandomValues(new Uint8Array(FRAME_BYTES));
const key = crypto.getRandomValues(new Uint8Array(32));
const nonce = new Uint8Array(AEAD_NONCE_LENGTH);
const aad = new Uint8Array(42);
const sealed = nodeCryptoAead.seal(key, nonce, frame, aad);

Deno.bench("gloeth aead: seal 1400 B", { group: "gloeth aead", baseline: true }, () => {
  nodeCryptoAead.seal(key, nonce, frame, aad);
});

Deno.bench("gloeth aead: open 1400 B", { group: "gloeth aead" }, () => {
  nodeCryptoAead.open(key, nonce, sealed, aad);
});

const forward = crypto.getRandomValues(new Uint8Array(32));
const backward = crypto.getRandomValues(new Uint8Array(32));
const A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const sender = new PairChannel({ sendKey: forward, receiveKey: backward }, nodeCryptoAead, A, B);
const receiver = new PairChannel(
  { sendKey: backward.slice(), receiveKey: forward.slice() },
  nodeCryptoAead,
  B,
  A,
);

// Each open needs a fresh counter, so the channel is measured as one seal and one open together.
Deno.bench("gloeth channel: seal + open 1400 B", { group: "gloeth channel" }, () => {
  if (receiver.open(sender.seal(frame, FRAME_KIND_UNICAST)) === null) throw new Error("frame dropped");
});
