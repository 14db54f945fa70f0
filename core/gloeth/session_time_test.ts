import { assert, assertEquals } from "../testing/assert.ts";
import { nextSessionTime } from "./session_time.ts";

Deno.test("session time: now on a first run; after the last run's even when the clock went back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-gloeth-session-" });
  try {
    const path = `${dir}/gloeth-session`;
    const first = await nextSessionTime(path);
    assert(Math.abs(first - Date.now()) < 1000);
    const future = Date.now() + 3_600_000; // the last run's clock was an hour ahead
    await Deno.writeTextFile(path, `${future}\n`);
    assertEquals(await nextSessionTime(path), future + 1);
    assertEquals(await nextSessionTime(path), future + 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
