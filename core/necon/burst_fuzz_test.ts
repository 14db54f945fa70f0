// Garbage at the server: every mutant of a valid DISCOVER is either answered or dropped and counted;
// the burst handler never throws and never loses the leases it already has.
import { assert, assertEquals } from "../testing/assert.ts";
import { seededRandom } from "../testing/random.ts";
import { type DhcpMessage, encodeDhcp, setMessageType } from "../net/dhcp/mod.ts";
import { parseIpv4 } from "../net/ipv4addr.ts";
import { LogSink } from "../log/logger.ts";
import { Registry } from "../metrics/registry.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { Necon } from "./necon.ts";

Deno.test("necon: a fuzzed burst is answered or dropped and counted, never a crash", async () => {
  const store = SqliteStore.open(":memory:");
  const sink = new LogSink({ level: "error", format: "logfmt", write: () => {} });
  const necon = new Necon({ log: sink.logger("necon"), metrics: new Registry(), store });
  await necon.apply({
    subnets: [{ cidr: "10.9.0.0/24", pools: [{ start: "10.9.0.10", end: "10.9.0.250" }] }],
  });
  const message: DhcpMessage = {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 7,
    secs: 0,
    flags: 0x8000,
    ciaddr: 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr: Uint8Array.of(2, 0, 0, 0, 0, 1),
    sname: "",
    file: "",
    options: new Map(),
  };
  setMessageType(message, 1);
  message.options.set(55, Uint8Array.of(1, 3, 6, 121, 119));
  const valid = encodeDhcp(message);
  const random = seededRandom(42);
  const datagrams = [];
  for (let i = 0; i < 3000; i++) {
    const mutant = valid.slice(0, Math.floor(random() * (valid.length + 1)));
    for (let flips = Math.floor(random() * 6); flips > 0; flips--) {
      mutant[Math.floor(random() * mutant.length)] = Math.floor(random() * 256);
    }
    datagrams.push({ data: mutant, address: "0.0.0.0", port: 68 });
  }
  let sent = 0;
  await necon.handleBurst({
    arrival: { interfaceName: "eth0", serverAddress: parseIpv4("10.9.0.1") },
    datagrams,
    send: () => sent++,
  });
  const received = Object.entries(necon.stats.snapshot())
    .filter(([key]) => key.startsWith("received."))
    .reduce((sum, [, n]) => sum + Number(n), 0);
  const malformed = necon.stats.get("dropped.malformed");
  assertEquals(
    received + malformed,
    datagrams.length,
    "every datagram is either parsed or counted as dropped",
  );
  assert(malformed > 100 && received > 100, `malformed ${malformed}, parsed ${received}`);
  assert(sent > 0, "valid mutants were still answered");
  await necon.stop();
  store.close();
});
