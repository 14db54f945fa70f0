// The link certificates against the real consumers: OpenSSL parses and verifies the chain, and Deno's TLS
// (rustls) accepts a node's certificate under the network CA and refuses it under another network's.
import { toHexString } from "../../net/bytes.ts";
import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { generateSigningKey, keyId } from "./keys.ts";
import { objectIdentifier, time, unsignedInteger } from "./der.ts";
import { LINK_SERVER_NAME, networkCaCertificate, nodeServerName, nodeTlsCertificate, pem } from "./x509.ts";

const year = 365 * 86_400_000;

async function makeNetwork() {
  const network = await generateSigningKey();
  const id = toHexString(await keyId(network.publicKey));
  const ca = await networkCaCertificate(network, id, new Date(Date.now() + 10 * year));
  const node = await generateSigningKey();
  const cert = await nodeTlsCertificate(network, id, {
    name: "node-a",
    signKey: node.publicKey,
    serial: 0x1234n,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + year),
  });
  return { network, id, ca, node, cert };
}

Deno.test("der: integers, object identifiers and times as X.690 spells them", () => {
  assertEquals(toHexString(unsignedInteger(0n)), "020100");
  assertEquals(toHexString(unsignedInteger(127n)), "02017f");
  assertEquals(toHexString(unsignedInteger(128n)), "02020080");
  assertEquals(toHexString(unsignedInteger(0x1234n)), "02021234");
  assertEquals(toHexString(objectIdentifier("1.3.101.112")), "06032b6570");
  assertEquals(toHexString(objectIdentifier("2.5.29.37")), "0603551d25");
  assertEquals(toHexString(objectIdentifier("1.3.6.1.5.5.7.3.1")), "06082b06010505070301");
  assertEquals(
    new TextDecoder().decode(time(new Date(Date.UTC(2030, 4, 6, 7, 8, 9))).subarray(2)),
    "300506070809Z",
  );
  assertEquals(new TextDecoder().decode(time(new Date(Date.UTC(2051, 0, 1))).subarray(2)), "20510101000000Z");
});

Deno.test("x509: OpenSSL reads the certificates and verifies the node under the network CA", async () => {
  const { ca, cert } = await makeNetwork();
  const dir = await Deno.makeTempDir({ prefix: "ctpf-x509-" });
  try {
    await Deno.writeTextFile(`${dir}/ca.pem`, pem("CERTIFICATE", ca));
    await Deno.writeTextFile(`${dir}/node.pem`, pem("CERTIFICATE", cert));
    const run = async (...args: string[]) => {
      const output = await new Deno.Command("openssl", { args, stdout: "piped", stderr: "piped" }).output();
      return new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    };
    const text = await run("x509", "-in", `${dir}/node.pem`, "-noout", "-text");
    assertMatch(text, /Signature Algorithm: ED25519/);
    assertMatch(text, /Subject: CN ?= ?node-a/);
    assertMatch(text, /DNS:gloeth, DNS:[0-9a-f]{32}\.gloeth/);
    assertMatch(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
    assertMatch(await run("x509", "-in", `${dir}/ca.pem`, "-noout", "-text"), /CA:TRUE/);
    assertMatch(await run("verify", "-CAfile", `${dir}/ca.pem`, `${dir}/node.pem`), /node\.pem: OK/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("x509: a TLS link to a node is accepted under its network's CA and its own name, refused otherwise", async () => {
  const mine = await makeNetwork(), other = await makeNetwork();
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: pem("CERTIFICATE", mine.cert),
    key: pem("PRIVATE KEY", mine.node.privatePkcs8),
  });
  const serving = (async () => {
    for await (const connection of listener) {
      try {
        await connection.handshake();
        await connection.write(new TextEncoder().encode("hello"));
      } catch { /* the refused client */ }
      connection.close();
    }
  })();
  try {
    const dial = async (ca: Uint8Array, hostname = LINK_SERVER_NAME) => {
      const tcp = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
      const tls = await Deno.startTls(tcp, { hostname, caCerts: [pem("CERTIFICATE", ca)] });
      try {
        await tls.handshake();
        const buffer = new Uint8Array(5);
        await tls.read(buffer);
        return new TextDecoder().decode(buffer);
      } finally {
        tls.close();
      }
    };
    assertEquals(await dial(mine.ca), "hello");
    const nodeId = toHexString(await keyId(mine.node.publicKey));
    assertEquals(await dial(mine.ca, nodeServerName(nodeId)), "hello");
    const refusal = async (ca: Uint8Array, hostname?: string) => {
      try {
        await dial(ca, hostname);
      } catch (error) {
        return String(error);
      }
      return "accepted";
    };
    const otherCa = await refusal(other.ca);
    assert(
      /certificate|UnknownIssuer|invalid/i.test(otherCa),
      `another network's CA was accepted: ${otherCa}`,
    );
    const otherNode = await refusal(mine.ca, nodeServerName("00".repeat(16)));
    assert(
      /certificate|NotValidForName|invalid/i.test(otherNode),
      `another node's name was accepted: ${otherNode}`,
    );
  } finally {
    listener.close();
    await serving;
  }
});
