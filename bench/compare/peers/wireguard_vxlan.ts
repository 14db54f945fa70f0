// wireguard-go + vxlan on the chain, as a user would build layer 2 over WireGuard with B as the hub:
// one wg0 per node (10.92.0.<n>/24); A and C each have B as their only peer (AllowedIPs: B and the far
// end), B has both and forwards between them (ip_forward in B's namespace only), so B decrypts and
// re-encrypts. A vxlan A↔C over the wg addresses gives the end-to-end layer 2 (10.200.0.x on vx0).
// Chosen over vxlans A–B, B–C bridged on B because it is the usual hub set-up: B stays a plain
// WireGuard router and the layer-2 segment only exists where it is used.
//
// wireguard-go and `wg` meet at /var/run/wireguard/wg0.sock. Each node's commands run with a private
// temp dir bind-mounted over /run inside `ip netns exec`'s own mount namespace, so the socket lives in
// that temp dir, the host's /run is never touched, and a later `wg setconf` with the same bind mount
// reaches the same socket.
import { type BackgroundProcess, type Lab, type Netns, run, waitFor } from "../../../tests/harness/mod.ts";
import { type ChainNode, type Overlay, overlayOf, type Peer, startChain } from "./chain.ts";

const port = 51820;
const wgIp = (index: number) => `10.92.0.${index + 1}`;

/** argv running `command` in `netns` with `runDir` over /run (a private mount namespace per command). */
function withPrivateRun(runDir: string, command: string[]): string[] {
  return ["sh", "-c", 'mount --bind "$0" /run && exec "$@"', runDir, ...command];
}

async function writeSysctl(netns: Netns, path: string, value: string): Promise<void> {
  await netns.run(["sh", "-c", 'echo "$1" > "$0"', path, value]);
}

export const wireguardVxlan: Peer = {
  name: "wireguard-go + vxlan",
  setup: "wireguard-go per node, A and C peer with B only, B routes wg0→wg0 (decrypt, re-encrypt), " +
    "vxlan A↔C (VNI 42, UDP 4789) over the wg addresses",
  tools: ["wireguard-go", "wg"],
  async start(lab: Lab, workDir: string): Promise<Overlay> {
    const chain = await startChain(lab);
    const keys: { privateKey: string; publicKey: string }[] = [];
    for (const _ of chain.nodes) {
      const privateKey = (await run(["wg", "genkey"])).stdout.trim();
      const publicKey = (await run(["wg", "pubkey"], { stdin: `${privateKey}\n` })).stdout.trim();
      keys.push({ privateKey, publicKey });
    }
    const endpoints: Record<ChainNode["name"], string[]> = {
      a: [`${chain.underlay.bToA}:${port}`],
      b: [`${chain.underlay.a}:${port}`, `${chain.underlay.c}:${port}`],
      c: [`${chain.underlay.bToC}:${port}`],
    };
    // [peer index, AllowedIPs] per node.
    const peersOf: Record<ChainNode["name"], [number, string][]> = {
      a: [[1, `${wgIp(1)}/32, ${wgIp(2)}/32`]],
      b: [[0, `${wgIp(0)}/32`], [2, `${wgIp(2)}/32`]],
      c: [[1, `${wgIp(1)}/32, ${wgIp(0)}/32`]],
    };
    const processes: BackgroundProcess[] = [];
    for (const [index, node] of chain.nodes.entries()) {
      const runDir = `${workDir}/${node.name}/run`;
      await Deno.mkdir(`${runDir}/wireguard`, { recursive: true });
      const process = node.netns.spawn(withPrivateRun(runDir, ["wireguard-go", "-f", "wg0"]), {
        env: { LOG_LEVEL: "error" },
      });
      processes.push(process);
      await waitFor(
        async () =>
          process.exited || (await Deno.stat(`${runDir}/wireguard/wg0.sock`).then(() => true, () => false)),
        { what: `wireguard-go's UAPI socket on ${node.name}`, timeoutMs: 10_000 },
      );
      if (process.exited) throw new Error(`wireguard-go on ${node.name} exited: ${process.output()}`);
      const peerSections = peersOf[node.name].map(([peer, allowed], i) =>
        `[Peer]\nPublicKey = ${keys[peer].publicKey}\nAllowedIPs = ${allowed}\nEndpoint = ${
          endpoints[node.name][i]
        }\n`
      );
      const config = `${workDir}/${node.name}/wg0.conf`;
      await Deno.writeTextFile(
        config,
        `[Interface]\nPrivateKey = ${keys[index].privateKey}\nListenPort = ${port}\n\n${
          peerSections.join("\n")
        }`,
        { mode: 0o600 },
      );
      await node.netns.run(withPrivateRun(runDir, ["wg", "setconf", "wg0", config]));
      await node.netns.addAddress("wg0", `${wgIp(index)}/24`);
      await node.netns.up("wg0");
    }
    await writeSysctl(chain.b.netns, "/proc/sys/net/ipv4/ip_forward", "1");
    await writeSysctl(chain.b.netns, "/proc/sys/net/ipv4/conf/all/send_redirects", "0");
    await writeSysctl(chain.b.netns, "/proc/sys/net/ipv4/conf/wg0/send_redirects", "0");
    for (const [node, local, remote] of [[chain.a, wgIp(0), wgIp(2)], [chain.c, wgIp(2), wgIp(0)]] as const) {
      await node.netns.ip(
        ..."link add vx0 type vxlan id 42 dstport 4789 dev wg0".split(" "),
        "local",
        local,
        "remote",
        remote,
      );
      await node.netns.addAddress("vx0", `${node.overlayIp}/24`);
      await node.netns.up("vx0");
    }
    return overlayOf(chain, processes);
  },
};
