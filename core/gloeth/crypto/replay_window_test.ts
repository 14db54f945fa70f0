import { REPLAY_WINDOW_SIZE, ReplayWindow } from "./replay_window.ts";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { below, seededRandom } from "../../../tests/support/random.ts";

/** The specification the bitmap must match: remember everything, judge age against the highest. */
class NaiveReplayModel {
  #seen = new Set<number>();
  #highest = -1;

  accept(counter: number): boolean {
    if (counter < this.#highest - REPLAY_WINDOW_SIZE || this.#seen.has(counter)) return false;
    this.#seen.add(counter);
    this.#highest = Math.max(this.#highest, counter);
    return true;
  }
}

Deno.test("replay window: 2048 bits, one block of which holds the newest counters", () => {
  assertEquals(REPLAY_WINDOW_SIZE, 2016);
});

Deno.test("replay window: counters in order are accepted once each, across many ring turns", () => {
  const window = new ReplayWindow();
  for (let counter = 0; counter < 10_000; counter++) assert(window.accept(counter), `first ${counter}`);
  for (let counter = 10_000 - REPLAY_WINDOW_SIZE; counter < 10_000; counter++) {
    assert(!window.accept(counter), `again ${counter}`);
  }
});

Deno.test("replay window: out of order within the window is accepted, up to its exact edge", () => {
  const window = new ReplayWindow();
  assert(window.accept(5000));
  assert(window.accept(4999));
  assert(window.accept(5000 - REPLAY_WINDOW_SIZE), "the oldest counter still in the window");
  assert(!window.accept(5000 - REPLAY_WINDOW_SIZE - 1), "one older than the window");
  assert(!window.accept(0));
  assert(window.accept(4000));
  assert(window.accept(5001));
  assert(window.accept(4998));
});

Deno.test("replay window: duplicates are refused wherever they fall", () => {
  const window = new ReplayWindow();
  for (const counter of [0, 7, 31, 32, 33, 2047, 2048, 1000]) {
    assert(window.accept(counter), `first ${counter}`);
    assert(!window.accept(counter), `second ${counter}`);
  }
  assert(!window.accept(7));
  assert(!window.accept(2047));
});

Deno.test("replay window: big jumps forget everything older and reuse the ring correctly", () => {
  const window = new ReplayWindow();
  for (let counter = 0; counter < 2048; counter++) window.accept(counter);
  // 2048 later the ring is back at the same bits: they must read as unseen, not as replays.
  for (let counter = 2048; counter < 4096; counter++) assert(window.accept(counter), `ring ${counter}`);
  assert(window.accept(2 ** 40));
  assert(!window.accept(4095), "too old after the jump");
  assert(window.accept(2 ** 40 - 1));
  assert(window.accept(2 ** 40 - REPLAY_WINDOW_SIZE));
  assert(!window.accept(2 ** 40 - REPLAY_WINDOW_SIZE - 1));
  assert(window.accept(2 ** 40 + 1));
  assert(window.accept(2 ** 40 + 32 * 64), "exactly one ring further");
  assert(window.accept(Number.MAX_SAFE_INTEGER));
  assert(!window.accept(Number.MAX_SAFE_INTEGER));
  assert(window.accept(Number.MAX_SAFE_INTEGER - 1));
  assert(window.accept(Number.MAX_SAFE_INTEGER - REPLAY_WINDOW_SIZE));
  assert(!window.accept(Number.MAX_SAFE_INTEGER - REPLAY_WINDOW_SIZE - 1));
});

Deno.test("replay window: values that are not counters are refused, not thrown on", () => {
  const window = new ReplayWindow();
  for (const value of [-1, 0.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64]) {
    assert(!window.accept(value), String(value));
  }
  assert(window.accept(0), "refusals left no trace");
});

Deno.test("replay window: 100k random counters give the same verdicts as a remember-everything model", () => {
  const random = seededRandom(0x5eed);
  const window = new ReplayWindow();
  const model = new NaiveReplayModel();
  const history: number[] = [];
  let front = 0;
  let accepted = 0;
  for (let i = 0; i < 100_000; i++) {
    const roll = random();
    let counter: number;
    if (roll < 0.1 && history.length > 0) {
      counter = history[history.length - 1 - below(random, Math.min(history.length, 3000))]; // replay
    } else if (roll < 0.101) {
      front += below(random, 1_000_000); // a long silence or a lost burst
      counter = front;
    } else if (roll < 0.10101) {
      front = Math.min(Number.MAX_SAFE_INTEGER - 100_000, front + 2 ** 50 * random());
      counter = Math.floor(front);
    } else {
      counter = Math.max(0, Math.floor(front) + below(random, 2200) - 2120); // reordering around the edge
      if (random() < 0.5) front += 1;
    }
    front = Math.floor(front);
    history.push(counter);
    const verdict = window.accept(counter);
    assertEquals(verdict, model.accept(counter), `step ${i}, counter ${counter}`);
    if (verdict) accepted++;
  }
  // Both kinds of verdict must be well represented, or the comparison proves little.
  assert(accepted > 20_000 && accepted < 80_000, `${accepted} accepted`);
});
