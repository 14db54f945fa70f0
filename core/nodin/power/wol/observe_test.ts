import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { assertEquals, assertMatch } from "../../../testing/assert.ts";
import { NodeSchema, WakeSchema, WakeState } from "../../../api/gen/ctpf/v1/liwasc_pb.ts";
import { observe } from "./driver.ts";

const MAC = "00:1b:21:00:00:01";
const node = (online: boolean, lastSeenMs: number) =>
  create(NodeSchema, { mac: MAC, online, interface: "eth1", lastSeen: timestampFromMs(lastSeenMs) });
const wake = (state: WakeState, startedMs: number, finishedMs?: number) =>
  create(WakeSchema, {
    id: `w${startedMs}`,
    mac: MAC,
    ip: "10.0.0.7",
    state,
    started: timestampFromMs(startedMs),
    finished: finishedMs === undefined ? undefined : timestampFromMs(finishedMs),
  });

Deno.test("wol observe: the latest wake still going is powering-on, whatever the last scan said", () => {
  const seen = observe(MAC, node(true, 5_000), [
    wake(WakeState.AWAKE, 1_000, 2_000),
    wake(WakeState.WAITING, 9_000),
  ]);
  assertEquals(seen.state, "powering-on");
  assertMatch(seen.evidence, /^liwasc wake w9000: /);
});

Deno.test("wol observe: an ARP answer to a wake after the last scan is on; a scan after it decides again", () => {
  assertEquals(observe(MAC, node(false, 1_000), [wake(WakeState.AWAKE, 2_000, 3_000)]).state, "on");
  // Seen later by a scan and answering: on from the scan.
  assertMatch(
    observe(MAC, node(true, 9_000), [wake(WakeState.AWAKE, 2_000, 3_000)]).evidence,
    /latest scan of eth1/,
  );
  // Seen later than the wake's answer, but not in the latest scan: off.
  assertEquals(observe(MAC, node(false, 9_000), [wake(WakeState.AWAKE, 2_000, 3_000)]).state, "off");
  const timedOut = observe(MAC, node(false, 1_000), [wake(WakeState.TIMED_OUT, 2_000, 3_000)]);
  assertEquals(timedOut.state, "off");
  assertMatch(timedOut.evidence, /latest wake timed_out$/);
  assertEquals(observe(MAC, undefined, []).state, "off");
});
