// tinc 1.0 in switch mode on the chain: a tincd per node on its TAP, A and C ConnectTo B only; RSA
// keys made by `tincd -K` into the temp dir; each daemon in the foreground (-D) with its config dir
// (-c), pidfile and logfile in the temp dir. Default cipher and digest (aes-256-cbc, sha256 in 1.0.36).
// A and C cannot reach each other's underlay address; tinc finds that itself and relays their packets
// over UDP through B (B decrypts and re-encrypts: tinc 1.0 keys are per hop), as a capture on B–C shows.
import { type Lab, run } from "../../../tests/harness/mod.ts";
import {
  addOverlayTaps,
  type ChainNode,
  type Overlay,
  overlayOf,
  type Peer,
  startChain,
  tailOf,
} from "./chain.ts";

export const tinc: Peer = {
  name: "tinc 1.0 (switch)",
  setup:
    "tincd per node, Mode = switch on a TAP, A and C ConnectTo B, defaults (aes-256-cbc + sha256), B relays over UDP",
  tools: ["tincd"],
  async start(lab: Lab, workDir: string): Promise<Overlay> {
    const chain = await startChain(lab);
    await addOverlayTaps(chain);
    const dir = (node: ChainNode) => `${workDir}/${node.name}`;
    const publicKeys = new Map<string, string>();
    for (const node of chain.nodes) {
      await Deno.mkdir(`${dir(node)}/hosts`, { recursive: true });
      const connectTo = node.name === "b" ? "" : "ConnectTo = b\n";
      await Deno.writeTextFile(
        `${dir(node)}/tinc.conf`,
        `Name = ${node.name}\nMode = switch\nDeviceType = tap\nInterface = tap0\nAddressFamily = ipv4\n${connectTo}`,
      );
      // Not a terminal on stdin: tincd -K writes rsa_key.priv and hosts/<name> without asking.
      await run(["tincd", "-c", dir(node), "-K", "2048"], { timeoutMs: 30_000 });
      publicKeys.set(node.name, await Deno.readTextFile(`${dir(node)}/hosts/${node.name}`));
    }
    // Every node knows every host's key; A and C know B's address on their own link.
    const bAddress = { a: chain.underlay.bToA, b: "", c: chain.underlay.bToC };
    for (const node of chain.nodes) {
      for (const host of chain.nodes) {
        const address = host.name === "b" && node.name !== "b" ? `Address = ${bAddress[node.name]}\n` : "";
        await Deno.writeTextFile(`${dir(node)}/hosts/${host.name}`, address + publicKeys.get(host.name));
      }
    }
    const processes = chain.nodes.map((node) =>
      node.netns.spawn([
        "tincd",
        "-D",
        "-c",
        dir(node),
        `--pidfile=${dir(node)}/tinc.pid`,
        `--logfile=${dir(node)}/tinc.log`,
      ])
    );
    return overlayOf(chain, processes, (node) => tailOf(`${dir(node)}/tinc.log`));
  },
};
