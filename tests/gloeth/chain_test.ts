// A three-node chain A–B–C in namespaces: ping crosses the overlay from A to C (ARP included), and B,
// which carries every packet, never sees the marker A puts in them.
import { toHexString } from "../../core/net/bytes.ts";
import { rootTest, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertMatch } from "../support/assert.ts";
import { startMesh, waitUntilReachable } from "./lab.ts";
import { clientScript, readEvents, startNecon } from "../necon/lab.ts";
import { eventMatching } from "../necon/wait_events.ts";

const marker = "gl0eth-marker";
const markerHex = toHexString(new TextEncoder().encode(marker));

rootTest({
  name:
    "gloeth: A–B–C chain — ping and iperf3 from A to C through B, B never sees the marker, DHCP works across",
  tools: ["tcpdump", "ping", "busybox", "iperf3", "ss", "curl"],
  async fn() {
    await withLab(async (lab) => {
      await using mesh = await startMesh(lab, 3, [[0, 1], [1, 2]]);
      const [a, b, c] = mesh.nodes;
      await waitUntilReachable(a, c);
      const capture = `${mesh.workDir}/b.pcap`, control = `${mesh.workDir}/a-tap.pcap`;
      const tcpdump = b.netns.spawn(["tcpdump", "--immediate-mode", "-i", "any", "-U", "-w", capture]);
      // The control: on A's own TAP the marker is in plain sight, so the search below can find it.
      const tapdump = a.netns.spawn(["tcpdump", "--immediate-mode", "-i", "gloeth0", "-U", "-w", control]);
      await waitFor(() => /listening on/.test(tcpdump.output()) && /listening on/.test(tapdump.output()), {
        what: "tcpdump on B and on A's TAP",
      });
      // ping -p fills each packet's payload with the marker's bytes (16 at most per pattern).
      const pattern = markerHex.slice(0, 32);
      const pinged = await a.netns.run(["ping", "-c5", "-i0.2", "-p", pattern, "-s", "200", c.overlayIp]);
      assertMatch(pinged.stdout, /5 received/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tcpdump.stop();
      await tapdump.stop();
      const contains = async (path: string) =>
        Array.from(await Deno.readFile(path), (x) => String.fromCharCode(x)).join("").includes(marker);
      assert(
        await contains(control),
        "the control capture on A's TAP lacks the marker: the search is broken",
      );
      const bytes = await Deno.readFile(capture);
      assert(bytes.length > 2000, `B captured only ${bytes.length} bytes: did the traffic pass through B?`);
      assert(!await contains(capture), "the marker appeared in B's traffic");

      // A TCP stream across the overlay (TSO super-frames end to end): iperf3 completes and moves data.
      const server = c.netns.spawn(["iperf3", "-s", "-1", "-B", c.overlayIp]);
      await waitFor(async () => (await c.netns.run(["ss", "-ltnH"])).stdout.includes(`${c.overlayIp}:5201`), {
        what: "iperf3 listening on C",
      });
      const iperf = JSON.parse((await a.netns.run(["iperf3", "-c", c.overlayIp, "-t", "2", "-J"])).stdout);
      await server.stop();
      assert(iperf.end.sum_received.bytes > 1_000_000, `iperf3 moved ${iperf.end.sum_received.bytes} bytes`);
      // Real TAP traffic (super-frames, checksum offload) passes every end-to-end check at C.
      const metrics = await c.netns.run([
        "curl",
        "-sf",
        "-H",
        `authorization: Bearer ${c.process!.adminToken}`,
        `${c.process!.url}/metrics`,
      ]);
      const refused = metrics.stdout.split("\n").filter((line) =>
        line.startsWith("ctpf_gloeth_frames_rejected_")
      );
      assert(refused.length === 6, `expected six refusal counters:\n${refused.join("\n")}`);
      assert(refused.every((line) => line.endsWith(" 0")), `C refused frames:\n${refused.join("\n")}`);
      assertMatch(metrics.stdout, /^ctpf_gloeth_macs [1-9]/m); // A's MAC, learned from the frames above

      // DHCP across the overlay: necon serves A's TAP, busybox udhcpc asks on C's, B relays nothing.
      const config = `${mesh.workDir}/necon.json`;
      await Deno.writeTextFile(
        config,
        JSON.stringify({
          interfaces: ["gloeth0"],
          subnets: [{
            id: "overlay",
            cidr: "10.200.0.0/24",
            pools: [{ start: "10.200.0.100", end: "10.200.0.110" }],
          }],
        }),
      );
      await using necon = await startNecon(a.netns, config, `${mesh.workDir}/necon-data`, "info");
      void necon;
      const hook = await clientScript(mesh.workDir, "overlay");
      c.netns.spawn(["busybox", "udhcpc", "-f", "-i", "gloeth0", "-s", hook.path, "-t", "10", "-T", "1"]);
      await eventMatching(
        hook.events,
        /^bound ip=10\.200\.0\.1(0\d|10) /,
        "udhcpc on C bound through the overlay",
      );
      const leased = (await readEvents(hook.events)).find((line) => line.startsWith("bound"))!.split(" ")[1]
        .slice(3);
      assertMatch((await a.netns.run(["ping", "-c2", "-W2", leased])).stdout, /2 received/);
    });
  },
});
