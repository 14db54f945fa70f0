import { toHexString } from "../../net/bytes.ts";
import { join } from "node:path";
import { issueCertificate, issueRevocations, type NetworkTrust, trustOf } from "./authority.ts";
import {
  readNetworkKey,
  readNodeKeys,
  readPublic,
  writeNetworkKey,
  writeNodeKeys,
  writePublic,
} from "./files.ts";
import { generateDhKey, generateSigningKey, keyId, type SigningKeyPair } from "./keys.ts";
import { decodeRevocationList } from "./revocations.ts";
import { derOfPem, networkCaCertificate, nodeServerName, nodeTlsCertificate, pem } from "./x509.ts";

// The files gloeth keeps. A network directory (the operator's, kept offline):
//   network.key   the network's private key, 0600
//   network.pub   its public key (base64), given to every node
//   ca.pem        the link CA certificate, given to every node
//   revocations   the newest signed revocation list, if any
// A node directory (one per node):
//   node.key      the node's Ed25519 and X25519 keys, 0600
//   node.cert     its gloeth certificate (base64)
//   tls.pem       its TLS certificate, signed by the network CA
//   network.pub, ca.pem, revocations   copies from the network directory

const year = 365 * 86_400_000;

export async function initNetwork(dir: string, years = 10): Promise<{ networkId: string }> {
  const key = await generateSigningKey();
  const networkId = toHexString(await keyId(key.publicKey));
  await writeNetworkKey(join(dir, "network.key"), key);
  await writePublic(join(dir, "network.pub"), key.publicKey);
  const ca = await networkCaCertificate(key, networkId, new Date(Date.now() + years * year));
  await Deno.writeTextFile(join(dir, "ca.pem"), pem("CERTIFICATE", ca));
  return { networkId };
}

function randomSerial(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  bytes[0] &= 0x7f; // positive as an X.509 serial too
  return new DataView(bytes.buffer).getBigUint64(0);
}

/** Makes a node's keys and signs its certificates with the network key found in `networkDir`. */
export async function initNode(
  networkDir: string,
  nodeDir: string,
  name: string,
  days = 365,
): Promise<{ nodeId: string; serial: bigint }> {
  const network = await readNetworkKey(join(networkDir, "network.key"));
  const networkId = toHexString(await keyId(network.publicKey));
  const sign = await generateSigningKey(), dh = await generateDhKey();
  const serial = randomSerial();
  const notBefore = Date.now() - 60_000, notAfter = Date.now() + days * 86_400_000;
  await writeNodeKeys(join(nodeDir, "node.key"), { name, sign, dh });
  await writePublic(
    join(nodeDir, "node.cert"),
    await issueCertificate(network, {
      serial,
      notBefore,
      notAfter,
      signKey: sign.publicKey,
      dhKey: dh.publicKey,
      name,
    }),
  );
  const tls = await nodeTlsCertificate(network, networkId, {
    name,
    signKey: sign.publicKey,
    serial,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
  });
  await Deno.writeTextFile(join(nodeDir, "tls.pem"), pem("CERTIFICATE", tls));
  await Deno.copyFile(join(networkDir, "network.pub"), join(nodeDir, "network.pub"));
  await Deno.copyFile(join(networkDir, "ca.pem"), join(nodeDir, "ca.pem"));
  return { nodeId: toHexString(await keyId(sign.publicKey)), serial };
}

/** Adds serials to the network's revocation list and signs the new list. */
export async function revoke(networkDir: string, serials: bigint[]): Promise<bigint[]> {
  const network: SigningKeyPair = await readNetworkKey(join(networkDir, "network.key"));
  const path = join(networkDir, "revocations");
  let current: bigint[] = [];
  try {
    const decoded = decodeRevocationList(await readPublic(path));
    // A list that cannot be read must not be replaced by a shorter one: that would lift revocations.
    if (!decoded.ok) throw new Error(`${path}: ${decoded.error.message}; fix or remove it first`);
    current = decoded.value.serials;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const all = [...new Set([...current, ...serials])];
  await writePublic(path, await issueRevocations(network, all));
  return all;
}

export interface LoadedNode {
  name: string;
  nodeId: string;
  keys: SigningKeyPair;
  certificate: Uint8Array;
  trust: NetworkTrust;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** The signed revocation list in the node directory, if any. */
  revocations?: Uint8Array;
}

export async function loadNode(nodeDir: string): Promise<LoadedNode> {
  const keys = await readNodeKeys(join(nodeDir, "node.key"));
  let revocations: Uint8Array | undefined;
  try {
    revocations = await readPublic(join(nodeDir, "revocations"));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const nodeId = toHexString(await keyId(keys.sign.publicKey));
  const certPem = await Deno.readTextFile(join(nodeDir, "tls.pem"));
  if (!namesNode(certPem, nodeId)) {
    throw new Error(
      `${join(nodeDir, "tls.pem")} does not name ${nodeServerName(nodeId)}: it predates links bound to ` +
        `their node, and no node would link to this one. Make the node directory again with gloeth node-init.`,
    );
  }
  return {
    name: keys.name,
    nodeId,
    keys: keys.sign,
    certificate: await readPublic(join(nodeDir, "node.cert")),
    trust: await trustOf(await readPublic(join(nodeDir, "network.pub"))),
    caPem: await Deno.readTextFile(join(nodeDir, "ca.pem")),
    certPem,
    keyPem: pem("PRIVATE KEY", keys.sign.privatePkcs8),
    revocations,
  };
}

/** Whether the PEM certificate carries the node's own TLS name (a dNSName, which DER stores as is). */
function namesNode(certPem: string, nodeId: string): boolean {
  const der = derOfPem(certPem);
  return der !== undefined && String.fromCharCode(...der).includes(nodeServerName(nodeId));
}
