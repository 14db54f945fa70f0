import { assertEquals } from "../testing/assert.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { SqliteLiwascRepository } from "./store_sqlite.ts";
import type { NodeRecord, PortRecord, ScanRecord, WakeRecord } from "./model.ts";

Deno.test("liwasc store: everything survives a reopen; prune drops what is older than the retention", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-liwasc-store-" });
  try {
    const node: NodeRecord = {
      mac: 0x001b21000001,
      ips: ["10.0.0.5"],
      interface: "eth0",
      vendor: "Intel Corporate",
      hostname: "n5",
      firstSeen: 1000,
      lastSeen: 5000,
      online: true,
      conflictsWith: [0x020000000005],
    };
    const old = { ...node, mac: 0x020000000009, ips: ["10.0.0.9"], lastSeen: 1500, online: false };
    const scan: ScanRecord = {
      id: "s1",
      kind: "port",
      state: "done",
      started: 4000,
      finished: 4100,
      target: "10.0.0.5",
      ports: "tcp top:100",
      found: 1,
      done: 100,
      total: 100,
      startedBy: "admin",
    };
    const port: PortRecord = {
      ip: "10.0.0.5",
      protocol: "udp",
      port: 53,
      state: "open",
      reason: "udp-response",
      service: "dns",
      detail: "dnsmasq-2.90",
      scanId: "s1",
      seen: 4050,
    };
    const wake: WakeRecord = {
      id: "w1",
      mac: node.mac,
      ip: "10.0.0.5",
      interface: "eth0",
      state: "awake",
      packetsSent: 2,
      probes: 3,
      started: 1200,
      finished: 1300,
    };
    {
      const store = SqliteStore.open(`${dir}/ctpf.sqlite`);
      const repository = new SqliteLiwascRepository(store);
      repository.saveNodes([node, old]);
      repository.saveScan({ ...scan, id: "s0", started: 1000, finished: 1100 });
      repository.saveScan(scan);
      repository.savePorts([port, {
        ...port,
        protocol: "tcp",
        port: 22,
        state: "closed",
        reason: "reset",
        service: undefined,
        detail: undefined,
        seen: 1000,
      }]);
      repository.saveWake(wake);
      repository.saveSettings({
        scanIntervalMinutes: 15,
        retentionDays: 7,
        arpRate: 500,
        reverseDns: true,
        scanInterfaces: ["scan0", "scan1"],
      });
      store.close();
    }
    const store = SqliteStore.open(`${dir}/ctpf.sqlite`);
    const repository = new SqliteLiwascRepository(store);
    assertEquals(repository.loadNodes(), [node, old].sort((a, b) => a.mac - b.mac));
    assertEquals(repository.listScans("port", 10).map((s) => s.id), ["s1", "s0"]);
    assertEquals(repository.listScans(undefined, 10)[0], { ...scan, error: undefined });
    assertEquals(repository.loadPorts("10.0.0.5").find((p) => p.protocol === "udp"), port);
    assertEquals(repository.listWakes(node.mac), [{ ...wake, error: undefined }]);
    assertEquals(repository.loadSettings(), {
      scanIntervalMinutes: 15,
      retentionDays: 7,
      arpRate: 500,
      reverseDns: true,
      scanInterfaces: ["scan0", "scan1"],
    });
    assertEquals(repository.prune(2000), { scans: 1, nodes: 1, ports: 1, wakes: 1 });
    assertEquals(repository.loadNodes().map((n) => n.mac), [node.mac]);
    assertEquals(repository.listScans(undefined, 10).map((s) => s.id), ["s1"]);
    assertEquals(repository.loadPorts().length, 1);
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("liwasc store: settings kept before scan interfaces were a setting load with none chosen", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-liwasc-store-" });
  try {
    const store = SqliteStore.open(`${dir}/ctpf.sqlite`);
    const repository = new SqliteLiwascRepository(store);
    store.statement("INSERT INTO liwasc_settings (key, value) VALUES ('settings', ?)").run(
      JSON.stringify({ scanIntervalMinutes: 5, retentionDays: 9, arpRate: 200, reverseDns: false }),
    );
    assertEquals(repository.loadSettings(), {
      scanIntervalMinutes: 5,
      retentionDays: 9,
      arpRate: 200,
      reverseDns: false,
      scanInterfaces: [],
    });
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
