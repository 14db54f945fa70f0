// OpenVPN 2.6 in TAP mode on the chain, the hub set-up an OpenVPN user runs when two sites reach each
// other only through a third: a server on B (mode server, UDP 1194, client-to-client) and A and C as
// its clients, each on a TAP. B's one process relays frames between its clients (decrypt, re-encrypt).
// TLS with a self-signed EC certificate per node pinned by --peer-fingerprint (OpenVPN 2.6's small-
// setup mode, no CA); data channel cipher negotiated (AES-256-GCM). No DCO (no kernel module, and DCO
// has no TAP). Each daemon in the foreground on a TAP made beforehand.
import { type BackgroundProcess, type Lab, run } from "../../../tests/harness/mod.ts";
import { addOverlayTaps, type ChainNode, type Overlay, overlayOf, type Peer, startChain } from "./chain.ts";

const port = 1194;

async function selfSigned(dir: string, name: string): Promise<string> {
  await run([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${dir}/${name}.key`,
    "-out",
    `${dir}/${name}.crt`,
  ]);
  const { stdout } = await run([
    "openssl",
    "x509",
    "-noout",
    "-fingerprint",
    "-sha256",
    "-in",
    `${dir}/${name}.crt`,
  ]);
  const fingerprint = stdout.trim().split("=")[1];
  if (!fingerprint) throw new Error(`no fingerprint for ${name}: ${stdout}`);
  return fingerprint;
}

export const openvpn: Peer = {
  name: "OpenVPN 2.6 (TAP)",
  setup: "server on B (UDP, client-to-client), A and C its clients, TAP, TLS with pinned self-signed " +
    "certs, negotiated data cipher, B relays (decrypt, re-encrypt)",
  tools: ["openvpn", "openssl"],
  async start(lab: Lab, workDir: string): Promise<Overlay> {
    const chain = await startChain(lab);
    await addOverlayTaps(chain);
    const fingerprints = new Map<string, string>();
    for (const node of chain.nodes) fingerprints.set(node.name, await selfSigned(workDir, node.name));
    const common = (node: ChainNode) =>
      [
        "dev tap0",
        "dev-type tap",
        "proto udp",
        "disable-dco",
        "verb 3",
        "keepalive 10 60",
        `cert ${workDir}/${node.name}.crt`,
        `key ${workDir}/${node.name}.key`,
      ].join("\n");
    const config = (node: ChainNode) =>
      node.name === "b"
        ? [
          common(node),
          "mode server",
          "tls-server",
          `port ${port}`,
          "dh none",
          "client-to-client",
          "<peer-fingerprint>",
          fingerprints.get("a"),
          fingerprints.get("c"),
          "</peer-fingerprint>",
        ].join("\n")
        : [
          common(node),
          "client",
          "nobind",
          `remote ${node.name === "a" ? chain.underlay.bToA : chain.underlay.bToC} ${port}`,
          `peer-fingerprint ${fingerprints.get("b")}`,
        ].join("\n");
    const processes: BackgroundProcess[] = [];
    for (const node of chain.nodes) {
      const path = `${workDir}/${node.name}.conf`;
      await Deno.writeTextFile(path, `${config(node)}\n`, { mode: 0o600 });
      processes.push(node.netns.spawn(["openvpn", "--config", path, "--cd", workDir]));
    }
    return overlayOf(chain, processes);
  },
};
