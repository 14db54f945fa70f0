import { toHexString } from "../../net/bytes.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { below, seededRandom } from "../../testing/random.ts";
import { fromHex } from "../crypto/testdata/hex.ts";
import {
  issueCertificate,
  issueRevocations,
  trustOf,
  verifyCertificate,
  verifyRevocations,
} from "./authority.ts";
import { decodeCertificate, encodeCertificateBody } from "./certificate.ts";
import { generateDhKey, generateSigningKey, keyId, loadSigningKey, sign, verify } from "./keys.ts";
import { decodeRevocationList } from "./revocations.ts";

Deno.test("identity: Ed25519 through WebCrypto matches RFC 8032 §7.1 test 1", async () => {
  // PKCS#8 wrapping of the RFC's 32-byte secret key (RFC 8410 §10.3 layout).
  const seed = fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const pkcs8 = new Uint8Array([...fromHex("302e020100300506032b657004220420"), ...seed]);
  const publicKey = fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const key = await loadSigningKey(publicKey, pkcs8);
  const signature = await sign(key, new Uint8Array(0));
  assertEquals(
    toHexString(signature),
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  );
  assert(await verify(publicKey, new Uint8Array(0), signature));
  assert(!await verify(publicKey, new Uint8Array([0]), signature));
});

Deno.test("identity: the certificate body is the documented byte layout", () => {
  const body = encodeCertificateBody({
    networkId: fromHex("00112233445566778899aabbccddeeff"),
    serial: 0x0102030405060708n,
    notBefore: 1_700_000_000_000,
    notAfter: 1_800_000_000_000,
    signKey: new Uint8Array(32).fill(0xaa),
    dhKey: new Uint8Array(32).fill(0xbb),
    name: "pi-07",
  });
  assertEquals(
    toHexString(body),
    "01" + "00112233445566778899aabbccddeeff" + "0102030405060708" + "0000018bcfe56800" + "000001a3185c5000" +
      "aa".repeat(32) + "bb".repeat(32) + "05" + "70692d3037",
  );
});

Deno.test("identity: a network admits its nodes, and only them; revocation and validity are enforced", async () => {
  const network = await generateSigningKey(), other = await generateSigningKey();
  const trust = await trustOf(network.publicKey);
  const nodeSign = await generateSigningKey(), nodeDh = await generateDhKey();
  const now = Date.now();
  const node = {
    serial: 7n,
    notBefore: now - 1000,
    notAfter: now + 86_400_000,
    signKey: nodeSign.publicKey,
    dhKey: nodeDh.publicKey,
    name: "node-a",
  };
  const certificate = await issueCertificate(network, node);
  const verdict = await verifyCertificate(certificate, trust);
  assert(verdict.ok, verdict.ok ? "" : verdict.reason);
  assertEquals(verdict.nodeId, toHexString(await keyId(nodeSign.publicKey)));
  assertEquals(verdict.certificate.name, "node-a");

  const foreign = await verifyCertificate(await issueCertificate(other, node), trust);
  assert(!foreign.ok && /issued for network/.test(foreign.reason));
  const tampered = certificate.slice();
  tampered[50] ^= 1; // inside the sign key: someone swapping in their own key
  const forged = await verifyCertificate(tampered, trust);
  assert(!forged.ok && /did not sign/.test(forged.reason));
  const expired = await verifyCertificate(certificate, trust, new Set(), now + 2 * 86_400_000);
  assert(!expired.ok && expired.reason === "expired");
  const early = await verifyCertificate(certificate, trust, new Set(), now - 60_000);
  assert(!early.ok && early.reason === "not valid yet");

  const list = await issueRevocations(network, [3n, 7n]);
  const checked = await verifyRevocations(list, trust);
  assert(checked.ok);
  assertEquals(checked.list.serials, [3n, 7n]);
  const revoked = await verifyCertificate(certificate, trust, new Set(checked.list.serials));
  assert(!revoked.ok && /revoked/.test(revoked.reason));
  const otherList = await verifyRevocations(await issueRevocations(other, [7n]), trust);
  assert(!otherList.ok);
});

Deno.test("identity: malformed certificates and revocation lists are reported, never thrown", async () => {
  const network = await generateSigningKey();
  const certificate = await issueCertificate(network, {
    serial: 1n,
    notBefore: 0,
    notAfter: 1,
    signKey: new Uint8Array(32),
    dhKey: new Uint8Array(32),
    name: "n",
  });
  const list = await issueRevocations(network, [1n, 2n, 3n]);
  assert(!decodeCertificate(certificate.subarray(0, 100)).ok);
  const random = seededRandom(0xce47);
  for (let i = 0; i < 5000; i++) {
    const source = i % 2 === 0 ? certificate : list;
    const mutant = source.slice(0, below(random, 4) === 0 ? below(random, source.length + 8) : source.length);
    for (let flips = below(random, 4); flips > 0 && mutant.length > 0; flips--) {
      mutant[below(random, mutant.length)] = below(random, 256);
    }
    decodeCertificate(mutant);
    decodeRevocationList(mutant);
  }
  const hugeCount = list.slice();
  new DataView(hugeCount.buffer).setUint32(25, 0xffffffff);
  const result = decodeRevocationList(hugeCount);
  assert(!result.ok && /limit/.test(result.error.message));
});
