import { assert, assertEquals } from "../testing/assert.ts";
import { parseIpv4 as ip } from "../net/ipv4addr.ts";
import { parseMac } from "../net/mac.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { Allocator } from "./allocator.ts";
import { compileConfig } from "./compile_config.ts";
import type { NeconConfigInput } from "./config.ts";
import { LeaseTable } from "./lease_table.ts";
import { SqliteLeaseRepository } from "./lease_store_sqlite.ts";
import {
  DHCPACK,
  DHCPDECLINE,
  DHCPDISCOVER,
  DHCPINFORM,
  DHCPNAK,
  DHCPOFFER,
  DHCPRELEASE,
  DHCPREQUEST,
} from "../net/dhcp/codes.ts";
import type { DhcpRequest } from "../net/dhcp/request.ts";
import type { Arrival } from "./request.ts";
import { DhcpServerLogic } from "./server.ts";

const arrival: Arrival = { interfaceName: "veth0", serverAddress: ip("10.1.0.1") };
const baseConfig: NeconConfigInput = {
  interfaces: ["veth0"],
  subnets: [
    {
      cidr: "10.1.0.0/24",
      pools: [{ start: "10.1.0.100", end: "10.1.0.102" }],
      routers: ["10.1.0.1"],
      leaseSeconds: 600,
      reservations: [{ mac: "02:00:00:00:00:99", ip: "10.1.0.50", hostname: "reserved" }],
    },
    { cidr: "10.2.0.0/24", pools: [{ start: "10.2.0.10", end: "10.2.0.20" }] },
  ],
};

function setup(input: NeconConfigInput = baseConfig) {
  const store = SqliteStore.open(":memory:");
  const repository = new SqliteLeaseRepository(store);
  const leases = new LeaseTable(repository);
  const logic = new DhcpServerLogic(compileConfig(input), leases, new Allocator(leases));
  return { store, repository, leases, logic };
}

function request(type: number, mac: string, extra: Partial<DhcpRequest> = {}): DhcpRequest {
  return {
    type,
    xid: 1,
    flags: 0,
    ciaddr: 0,
    giaddr: 0,
    hops: 0,
    mac: parseMac(mac),
    parameterList: [],
    maxMessageSize: 576,
    architectures: [],
    ...extra,
  };
}

/** DISCOVER → OFFER → REQUEST(selecting) → ACK, returning the bound address. */
function join(logic: DhcpServerLogic, mac: string, now: number, extra: Partial<DhcpRequest> = {}): number {
  const offer = logic.handle(request(DHCPDISCOVER, mac, extra), arrival, now);
  assertEquals(offer.reply?.type, DHCPOFFER, `${mac}: ${offer.reason}`);
  const ack = logic.handle(
    request(DHCPREQUEST, mac, {
      ...extra,
      serverId: arrival.serverAddress,
      requestedIp: offer.reply!.yiaddr,
    }),
    arrival,
    now,
  );
  assertEquals(ack.reply?.type, DHCPACK, `${mac}: ${ack.reason}`);
  return ack.reply!.yiaddr;
}

Deno.test("necon logic: the four-way exchange binds a pool address, durably after flush", () => {
  const { logic, leases, repository } = setup();
  const address = join(logic, "02:00:00:00:00:01", 1000);
  assertEquals(address, ip("10.1.0.100"));
  assertEquals(repository.loadAll().length, 0, "nothing is durable before flush");
  leases.flush();
  const [stored] = repository.loadAll();
  assertEquals(stored.state, "bound");
  assertEquals(stored.expiresAt, 1000 + 600_000);
});

Deno.test("necon logic: concurrent discovers get distinct offers; a full pool offers nothing and says why", () => {
  const { logic } = setup();
  const offers = ["02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"].map((mac) =>
    logic.handle(request(DHCPDISCOVER, mac), arrival, 0).reply!.yiaddr
  );
  assertEquals(new Set(offers).size, 3);
  const full = logic.handle(request(DHCPDISCOVER, "02:00:00:00:00:04"), arrival, 0);
  assertEquals(full.reply, undefined);
  assertEquals(full.outcome, "drop");
  assert(full.reason!.includes("pools exhausted"), full.reason);
});

Deno.test("necon logic: a returning client gets its old address back (stable allocation)", () => {
  const { logic } = setup();
  const first = join(logic, "02:00:00:00:00:01", 0);
  const second = join(logic, "02:00:00:00:00:02", 0);
  logic.handle(request(DHCPRELEASE, "02:00:00:00:00:01", { ciaddr: first }), arrival, 1);
  assertEquals(join(logic, "02:00:00:00:00:01", 2), first);
  assertEquals(join(logic, "02:00:00:00:00:02", 3), second);
});

Deno.test("necon logic: reservations are honoured in SELECTING, INIT-REBOOT and RENEWING", () => {
  const { logic } = setup();
  const mac = "02:00:00:00:00:99";
  assertEquals(join(logic, mac, 0), ip("10.1.0.50"));
  const reboot = logic.handle(request(DHCPREQUEST, mac, { requestedIp: ip("10.1.0.101") }), arrival, 1);
  assertEquals(reboot.reply?.type, DHCPNAK);
  assert(reboot.reason!.includes("reservation is 10.1.0.50"), reboot.reason);
  assertEquals(
    logic.handle(request(DHCPREQUEST, mac, { requestedIp: ip("10.1.0.50") }), arrival, 2).reply?.type,
    DHCPACK,
  );
  assertEquals(
    logic.handle(request(DHCPREQUEST, mac, { ciaddr: ip("10.1.0.50") }), arrival, 3).reply?.type,
    DHCPACK,
  );
  assertEquals(
    logic.handle(request(DHCPREQUEST, mac, { ciaddr: ip("10.1.0.100") }), arrival, 4).reply?.type,
    DHCPNAK,
  );
  const other = logic.handle(
    request(DHCPREQUEST, "02:00:00:00:00:01", { requestedIp: ip("10.1.0.50") }),
    arrival,
    5,
  );
  assertEquals(other.reply?.type, DHCPNAK, "a reserved address is never another client's");
});

Deno.test("necon logic: wrong-subnet requests get a NAK; other servers' offers are let go", () => {
  const { logic } = setup();
  const nak = logic.handle(
    request(DHCPREQUEST, "02:00:00:00:00:01", { requestedIp: ip("192.168.1.5") }),
    arrival,
    0,
  );
  assertEquals(nak.reply?.type, DHCPNAK);
  assert(nak.reason!.includes("not on subnet 10.1.0.0/24"));
  const offer = logic.handle(request(DHCPDISCOVER, "02:00:00:00:00:01"), arrival, 0).reply!.yiaddr;
  const grab = () =>
    logic.handle(request(DHCPREQUEST, "02:00:00:00:00:02", { requestedIp: offer }), arrival, 0);
  assertEquals(grab().reply?.type, DHCPNAK, "an outstanding offer is held for its client");
  // Someone else naming another server cannot free the hold.
  logic.handle(
    request(DHCPREQUEST, "02:00:00:00:00:03", { serverId: ip("10.1.0.254"), requestedIp: offer }),
    arrival,
    0,
  );
  assertEquals(grab().reply?.type, DHCPNAK, "a stranger's REQUEST must not release another client's offer");
  const elsewhere = logic.handle(
    request(DHCPREQUEST, "02:00:00:00:00:01", { serverId: ip("10.1.0.254"), requestedIp: offer }),
    arrival,
    0,
  );
  assertEquals(elsewhere.reply, undefined);
  // The withdrawn offer is free for another client at once.
  assertEquals(grab().reply?.type, DHCPACK);
});

Deno.test("necon logic: DECLINE quarantines; RELEASE frees; expiry reclaims", () => {
  const { logic, leases } = setup();
  const declined = join(logic, "02:00:00:00:00:01", 0);
  assertEquals(
    logic.handle(request(DHCPDECLINE, "02:00:00:00:00:01", { requestedIp: declined }), arrival, 1).outcome,
    "decline",
  );
  const next = join(logic, "02:00:00:00:00:01", 2);
  assert(next !== declined, "a declined address is not offered again");
  assertEquals(
    logic.handle(request(DHCPDISCOVER, "02:00:00:00:00:02"), arrival, 3).reply?.yiaddr !== declined,
    true,
  );
  // After the quarantine (86400 s by default) the address is usable again.
  const later = 86_400_000 + 10;
  assertEquals(
    logic.handle(request(DHCPREQUEST, "02:00:00:00:00:03", { requestedIp: declined }), arrival, later).reply
      ?.type,
    DHCPACK,
  );
  assertEquals(leases.reclaimExpired(later + 600_001), 2);
});

Deno.test("necon logic: relayed requests (giaddr) are served from the relay's subnet", () => {
  const { logic } = setup();
  const relayed = logic.handle(
    request(DHCPDISCOVER, "02:00:00:00:00:07", { giaddr: ip("10.2.0.1") }),
    arrival,
    0,
  );
  assertEquals(relayed.reply?.yiaddr, ip("10.2.0.10"));
  assertEquals(relayed.subnet?.id, "10.2.0.0/24");
  const unknown = logic.handle(
    request(DHCPDISCOVER, "02:00:00:00:00:07", { giaddr: ip("10.9.0.1") }),
    arrival,
    0,
  );
  assertEquals(unknown.reply, undefined);
});

Deno.test("necon logic: INFORM answers configuration without an address; clientId keys the lease", () => {
  const { logic } = setup();
  const inform = logic.handle(
    request(DHCPINFORM, "02:00:00:00:00:01", { ciaddr: ip("10.1.0.7") }),
    arrival,
    0,
  );
  assertEquals(inform.reply?.type, DHCPACK);
  assertEquals(inform.reply?.yiaddr, 0);
  assertEquals(inform.reply?.leaseSeconds, undefined);
  const a = join(logic, "02:00:00:00:00:01", 0, { clientIdHex: "ff0011" });
  // Same client id from another NIC: the same client, the same address.
  assertEquals(join(logic, "02:00:00:00:00:02", 1, { clientIdHex: "ff0011" }), a);
});

Deno.test("necon logic: leases survive a restart of the table", () => {
  const { logic, leases, repository, store } = setup();
  const address = join(logic, "02:00:00:00:00:01", 0);
  leases.flush();
  const reloaded = new LeaseTable(repository);
  const logic2 = new DhcpServerLogic(compileConfig(baseConfig), reloaded, new Allocator(reloaded));
  const taken = logic2.handle(
    request(DHCPREQUEST, "02:00:00:00:00:02", { requestedIp: address }),
    arrival,
    1,
  );
  assertEquals(taken.reply?.type, DHCPNAK);
  assertEquals(join(logic2, "02:00:00:00:00:01", 2), address);
  store.close();
});

Deno.test("necon logic: outstanding offers are counted per subnet", () => {
  const store = SqliteStore.open(":memory:");
  const leases = new LeaseTable(new SqliteLeaseRepository(store));
  const allocator = new Allocator(leases);
  const config = compileConfig(baseConfig);
  const logic = new DhcpServerLogic(config, leases, allocator);
  logic.handle(request(DHCPDISCOVER, "02:00:00:00:00:01"), arrival, 0);
  logic.handle(request(DHCPDISCOVER, "02:00:00:00:00:02"), arrival, 0);
  logic.handle(request(DHCPDISCOVER, "02:00:00:00:00:03", { giaddr: ip("10.2.0.1") }), arrival, 0);
  assertEquals(config.subnets.map((subnet) => allocator.outstandingOffers(subnet, 0)), [2, 1]);
  assertEquals(config.subnets.map((subnet) => allocator.outstandingOffers(subnet, 30_001)), [0, 0]);
  store.close();
});
