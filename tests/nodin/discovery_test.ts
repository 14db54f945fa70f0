// nodin discovering machines on a real LAN in namespaces: udhcpc clients take leases from necon, a liwasc
// scan (started over the API) sees them answer ARP, and nodin shows each MAC as one node seen by both; an
// enrolment rule by MAC prefix enrols them with labels. Once in the all-in-one (hubs, in process), once
// as separate binaries (nodin follows necon and liwasc over their Connect streams).
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import type { RunningBinary } from "../support/ctpf_process.ts";
import {
  call,
  leaseAll,
  type NodinLan,
  sourcesOf,
  startInServer,
  startNodinLan,
  waitForNodes,
} from "./lab.ts";

// Two machines in the rule's prefix, one outside it.
const macs = ["02:00:00:00:61:00", "02:00:00:00:61:01", "02:99:00:00:61:02"];

/** The shared story, whichever binaries serve it: leases, a scan, then a rule. */
async function discoverAndEnrol(
  lan: NodinLan,
  binaries: { nodin: RunningBinary; liwasc: RunningBinary },
  clientOptions?: (index: number) => string[],
): Promise<void> {
  const { nodin, liwasc } = binaries;
  const addresses = await leaseAll(lan, clientOptions);
  const leased = await waitForNodes(
    lan,
    nodin,
    "nodes from necon's leases",
    (node) => sourcesOf(node).includes("necon"),
  );
  for (const [i, mac] of macs.entries()) {
    const node = leased.get(mac)!;
    assertEquals([node.lifecycle, node.addresses], ["discovered", [addresses[i]]], mac);
  }

  const scan = await call(lan, liwasc, "LiwascService", "StartNodeScan", { interface: "br0" });
  assert(scan.scan?.id, JSON.stringify(scan));
  const seen = await waitForNodes(
    lan,
    nodin,
    "nodes seen by necon and liwasc",
    (node) => sourcesOf(node).includes("liwasc,necon"),
  );
  // Still one node per MAC: the scan merged into the lease's node.
  for (const mac of macs) assertEquals(seen.get(mac)!.id, leased.get(mac)!.id, mac);
  const { nodes } = await call(lan, nodin, "NodinService", "ListInventory");
  assertEquals(nodes.length, macs.length);

  const { rule } = await call(lan, nodin, "NodinService", "PutEnrolmentRule", {
    rule: {
      name: "lab rack",
      enabled: true,
      macPrefixes: ["02:00:00"],
      setLabels: { rack: "lab" },
      bootIntent: "install",
    },
  });
  assert(rule?.id, "rule stored");
  const enrolled = await call(lan, nodin, "NodinService", "ListInventory", {
    filter: { labelSelector: "rack=lab", lifecycles: ["enrolled"] },
  });
  assertEquals(enrolled.nodes.map((n: { macs: string[] }) => n.macs[0]).sort(), macs.slice(0, 2));
  assertEquals(enrolled.nodes.map((n: { bootIntent: string }) => n.bootIntent), ["install", "install"]);
  const left = await call(lan, nodin, "NodinService", "GetInventoryNode", { id: seen.get(macs[2])!.id });
  assertEquals(left.node.lifecycle, "discovered");
}

rootTest({
  name:
    "nodin in ctpf: leases, a PXE answer and a scan make one node per MAC with its sources; a rule by MAC prefix enrols",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using lan = await startNodinLan(lab, macs);
      await using ctpf = await startInServer(lan, "ctpf", [
        "--dhcp-config",
        lan.neconConfig,
        "--scan-interfaces",
        "br0",
      ]);
      // The first machine asks as a PXE client (x64 UEFI): bofied answers it, and says so to nodin.
      const pxe = (i: number) => i === 0 ? ["-V", "PXEClient:Arch:00007:UNDI:003016", "-x", "0x5d:0007"] : [];
      await discoverAndEnrol(lan, { nodin: ctpf, liwasc: ctpf }, pxe);
      const booted = await waitForNodes(
        lan,
        ctpf,
        "the PXE client seen by bofied",
        (node) => node.macs[0] !== macs[0] || sourcesOf(node) === "bofied,liwasc,necon",
      );
      const node = booted.get(macs[0])!;
      assertEquals([node.architecture, node.firmware, node.pxeArch], ["x64", "uefi", 7]);
      assertEquals(sourcesOf(booted.get(macs[1])!), "liwasc,necon");
    });
  },
});

rootTest({
  name: "nodin standalone: follows real necon and liwasc binaries over their APIs to the same inventory",
  tools: ["busybox"],
  async fn() {
    await withLab(async (lab) => {
      await using lan = await startNodinLan(lab, macs);
      await using necon = await startInServer(lan, "necon", ["--dhcp-config", lan.neconConfig]);
      await using liwasc = await startInServer(lan, "liwasc", ["--scan-interfaces", "br0"]);
      await using nodin = await startInServer(lan, "nodin", [
        "--necon-url",
        necon.url,
        "--necon-token-file",
        `${necon.dataDir}/admin.token`,
        "--liwasc-url",
        liwasc.url,
        "--liwasc-token-file",
        `${liwasc.dataDir}/admin.token`,
      ]);
      await discoverAndEnrol(lan, { nodin, liwasc });
      // nodin itself serves no DHCP and scans nothing: its feeds are the other binaries' streams.
      assert(!/component=nodin msg="cannot follow"/.test(nodin.output()), nodin.output());
    });
  },
});
