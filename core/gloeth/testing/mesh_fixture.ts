// Network and node material for gloeth tests: a network key with its CA, and admitted nodes with their
// certificates, TLS certificates and key files' contents.
import { toHexString } from "../../net/bytes.ts";
import { issueCertificate, trustOf } from "../identity/authority.ts";
import { generateDhKey, generateSigningKey, keyId } from "../identity/keys.ts";
import { networkCaCertificate, nodeTlsCertificate, pem } from "../identity/x509.ts";

const day = 86_400_000;

export async function testNetwork() {
  const key = await generateSigningKey();
  const id = toHexString(await keyId(key.publicKey));
  const ca = await networkCaCertificate(key, id, new Date(Date.now() + 30 * day));
  return { key, id, trust: await trustOf(key.publicKey), caPem: pem("CERTIFICATE", ca) };
}

export type TestNetwork = Awaited<ReturnType<typeof testNetwork>>;

export async function testMember(network: TestNetwork, name: string, serial: bigint) {
  const sign = await generateSigningKey();
  const dh = await generateDhKey();
  const now = Date.now();
  const certificate = await issueCertificate(network.key, {
    serial,
    notBefore: now - 60_000,
    notAfter: now + day,
    signKey: sign.publicKey,
    dhKey: dh.publicKey,
    name,
  });
  const tls = await nodeTlsCertificate(network.key, network.id, {
    name,
    signKey: sign.publicKey,
    serial,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + day),
  });
  return {
    identity: { keys: sign, certificate, nodeId: toHexString(await keyId(sign.publicKey)) },
    dh,
    certPem: pem("CERTIFICATE", tls),
    keyPem: pem("PRIVATE KEY", sign.privatePkcs8),
  };
}
