// ListLeases a page at a time (in process): order, completeness, filters, bounds, tokens, auth; and the
// changes-only lease stream a paged view follows.
import { Code, ConnectError } from "@connectrpc/connect";
import { NeconService } from "../api/gen/ctpf/v1/necon_pb.ts";
import { formatIpv4, parseIpv4 } from "../net/ipv4addr.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../testing/assert.ts";
import { type InProcessApi, inProcessApi } from "../testing/in_process_api.ts";
import { registerNeconApi } from "./api.ts";
import type { Lease } from "./lease.ts";
import { Necon } from "./necon.ts";

async function withNecon(
  options: { anonymousRead?: boolean },
  test: (api: InProcessApi, necon: Necon) => Promise<void>,
): Promise<void> {
  await using api = await inProcessApi(options);
  const necon = new Necon({ log: api.log, metrics: api.metrics, store: api.store });
  api.serve((router) => registerNeconApi(router, necon));
  try {
    await necon.apply({
      subnets: [
        { id: "a", cidr: "10.64.0.0/16", pools: [{ start: "10.64.0.10", end: "10.64.250.250" }] },
        { id: "b", cidr: "10.65.0.0/16", pools: [{ start: "10.65.0.10", end: "10.65.250.250" }] },
      ],
    });
    await test(api, necon);
  } finally {
    await necon.stop();
  }
}

async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  return ConnectError.from(await assertRejects(() => call));
}

/** `count` leases in subnet a from 10.64.0.10 on, put in shuffled order; every seventh is released. */
function fill(necon: Necon, count: number, base = parseIpv4("10.64.0.10")): Lease[] {
  const now = Date.now();
  const leases: Lease[] = [];
  for (let i = 0; i < count; i++) {
    leases.push({
      ip: base + i,
      subnetId: "a",
      clientKey: `mac:02000000${i.toString(16).padStart(4, "0")}`,
      mac: 0x0200_0000_0000 + i,
      hostname: `host-${i}`,
      state: i % 7 === 3 ? "released" : "bound",
      expiresAt: i % 7 === 3 ? now : now + 3_600_000,
      updatedAt: now,
    });
  }
  // Insertion order must not be listing order.
  for (let i = leases.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [leases[i], leases[j]] = [leases[j], leases[i]];
  }
  for (const lease of leases) necon.leases.put(lease);
  necon.leases.flush();
  return leases;
}

Deno.test("necon ListLeases: pages walk every lease once, in address order, with a total", async () => {
  await withNecon({}, async (api, necon) => {
    const client = api.client(NeconService);
    const leases = fill(necon, 12_000);
    const active = leases.filter((l) => l.state === "bound").map((l) => l.ip).sort((x, y) => x - y);
    const seen: string[] = [];
    let token = "", pages = 0;
    do {
      const page = await client.listLeases({ pageToken: token });
      assertEquals(page.totalSize, active.length);
      assert(page.leases.length <= 500, `${page.leases.length} leases on a default page`);
      seen.push(...page.leases.map((l) => l.ip));
      token = page.nextPageToken;
      pages++;
    } while (token && pages < 100);
    assertEquals(seen, active.map(formatIpv4));
    assertEquals(pages, Math.ceil(active.length / 500));

    const all = await client.listLeases({ includeInactive: true, pageSize: 5000 });
    assertEquals(all.leases.length, 5000);
    assertEquals(all.totalSize, 12_000);
    assertEquals(all.leases[0].ip, "10.64.0.10");
    assertEquals(all.leases[3].state, "released");
  });
});

Deno.test("necon ListLeases: filters hold across pages; leases added between pages show up once", async () => {
  await withNecon({}, async (api, necon) => {
    const client = api.client(NeconService);
    fill(necon, 300);
    const first = await client.listLeases({ match: "HOST-1", pageSize: 50, includeInactive: true });
    // host-1, host-10..19, host-100..199: 111 names contain "host-1".
    assertEquals(first.totalSize, 111);
    assert(first.leases.every((l) => l.hostname.includes("host-1")));
    // Added after the first page, below and above its end: only the one above is still ahead.
    fill(necon, 1, parseIpv4("10.64.0.9"));
    necon.leases.put({ ...necon.leases.get(parseIpv4("10.64.0.9"))!, hostname: "host-1-early" });
    necon.leases.put({
      ip: parseIpv4("10.64.9.9"),
      subnetId: "a",
      clientKey: "mac:020000009999",
      mac: 0x0200_0000_9999,
      hostname: "host-1-late",
      state: "bound",
      expiresAt: Date.now() + 60_000,
      updatedAt: Date.now(),
    });
    necon.leases.flush();
    const rest: string[] = [];
    let token = first.nextPageToken;
    for (let pages = 0; token && pages < 10; pages++) {
      const page = await client.listLeases({
        match: "host-1",
        pageSize: 50,
        includeInactive: true,
        pageToken: token,
      });
      rest.push(...page.leases.map((l) => l.hostname));
      token = page.nextPageToken;
    }
    assertEquals(rest.length, 111 - 50 + 1);
    assertEquals(rest.at(-1), "host-1-late");
    assert(!rest.includes("host-1-early"));

    assertEquals((await client.listLeases({ subnetId: "b" })).leases, []);
    assertEquals((await client.listLeases({ subnetId: "a", pageSize: 1 })).leases.map((l) => l.ip), [
      "10.64.0.9",
    ]);
  });
});

Deno.test("necon ListLeases: page size bounds and bad tokens are refused with a clear reason", async () => {
  await withNecon({}, async (api, necon) => {
    const client = api.client(NeconService);
    fill(necon, 20);
    const tooBig = await refusal(client.listLeases({ pageSize: 5001 }));
    assertEquals(Code[tooBig.code], Code[Code.InvalidArgument]);
    assertMatch(tooBig.rawMessage, /page_size must be 0 \(for 500\) to 5000/);
    assertEquals((await client.listLeases({ pageSize: 5000 })).leases.length, 17);

    for (
      const token of [
        "garbage!",
        "bm90IGpzb24",
        btoa('{"after":"10.64.0.300","filter":"x"}'),
        "x".repeat(2000),
      ]
    ) {
      const bad = await refusal(client.listLeases({ pageToken: token }));
      assertEquals(Code[bad.code], Code[Code.InvalidArgument], token);
      assertEquals(bad.rawMessage, "page_token is not one ListLeases issued");
    }
    const { nextPageToken } = await client.listLeases({ pageSize: 5 });
    assert(nextPageToken);
    const otherFilter = await refusal(client.listLeases({ pageToken: nextPageToken, includeInactive: true }));
    assertEquals(Code[otherFilter.code], Code[Code.InvalidArgument]);
    assertMatch(otherFilter.rawMessage, /issued for other filters/);
    // The last page says so with an empty token.
    const last = await client.listLeases({ pageSize: 17 });
    assertEquals([last.leases.length, last.nextPageToken], [17, ""]);
  });
});

Deno.test("necon ListLeases: needs a credential unless reads are anonymous; viewers may page", async () => {
  await withNecon({}, async (api, necon) => {
    fill(necon, 10);
    const anonymous = await refusal(api.client(NeconService, "").listLeases({ pageSize: 2 }));
    assertEquals(Code[anonymous.code], Code[Code.Unauthenticated]);
    const viewer = api.client(NeconService, api.viewerToken);
    const first = await viewer.listLeases({ pageSize: 2 });
    const second = await viewer.listLeases({ pageSize: 2, pageToken: first.nextPageToken });
    assertEquals(second.leases.map((l) => l.ip), ["10.64.0.12", "10.64.0.14"]);
  });
});

Deno.test("necon SubscribeToLeases: changes_only skips the replay", async () => {
  await withNecon({}, async (api, necon) => {
    fill(necon, 50);
    const controller = new AbortController();
    const stream = api.client(NeconService).subscribeToLeases({ changesOnly: true }, {
      signal: controller.signal,
    })[
      Symbol.asyncIterator
    ]();
    try {
      const next = stream.next();
      // Subscribed before the change: the stream's first message is the change, not a replayed lease.
      await new Promise((resolve) => setTimeout(resolve, 50));
      fill(necon, 1, parseIpv4("10.64.99.1"));
      const first = (await next).value;
      assertEquals([first.lease.ip, first.replay], ["10.64.99.1", false]);
    } finally {
      controller.abort();
    }
  });
});
