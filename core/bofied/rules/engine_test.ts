import { assert, assertEquals, assertMatch } from "../../testing/assert.ts";
import { waitFor } from "../../testing/harness/wait.ts";
import { LogSink } from "../../log/logger.ts";
import { defaultRules } from "./default_rules.ts";
import { BootRules, type RulesEvent } from "./engine.ts";
import type { BootFacts } from "./facts.ts";

const log = new LogSink({ level: "error", format: "logfmt", write: () => {} }).logger("rules");
const facts = (extra: Partial<BootFacts>): BootFacts => ({
  mac: "02:00:00:00:00:09",
  arch: { id: 0, name: "x86 BIOS" },
  server: "10.0.0.1",
  httpPort: 8480,
  ...extra,
});

async function withRules(
  source: string,
  work: (rules: BootRules, path: string, events: RulesEvent[]) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-rules-" });
  const path = `${dir}/rules.ts`;
  await Deno.writeTextFile(path, source);
  const events: RulesEvent[] = [];
  const rules = new BootRules({ path, log, onEvent: (event) => events.push(event) });
  try {
    await rules.start();
    await work(rules, path, events);
  } finally {
    rules.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("boot rules: the default chain is firmware → iPXE → starter menu over TFTP, never a loop", () =>
  withRules(defaultRules, async (rules) => {
    assertEquals((await rules.evaluate(facts({}))).decision, {
      tftpFile: "undionly.kpxe",
      httpUrl: undefined,
      nextServer: undefined,
    });
    assertEquals(
      (await rules.evaluate(facts({ arch: { id: 7, name: "x64 UEFI" } }))).decision?.ignore,
      undefined,
    );
    assertMatch(
      JSON.stringify((await rules.evaluate(facts({ arch: { id: 7, name: "x64 UEFI" } }))).decision),
      /ipxe\.efi/,
    );
    const ipxe = await rules.evaluate(facts({ userClass: "iPXE" }));
    assertEquals(ipxe.decision, { tftpFile: "menu.ipxe", httpUrl: undefined, nextServer: undefined });
    assertMatch(
      JSON.stringify((await rules.evaluate(facts({ arch: { id: 16, name: "x64 UEFI HTTP" } }))).decision),
      /"httpUrl":"http:\/\/10\.0\.0\.1:8480\/boot\/ipxe\.efi"/,
    );
    assertEquals((await rules.evaluate(facts({ arch: { id: 2, name: "Itanium" } }))).decision, {
      ignore: true,
    });
  }));

Deno.test("boot rules: a broken new version is reported and the last good one stays; a fixed one loads", () =>
  withRules(defaultRules, async (rules, path, events) => {
    await Deno.writeTextFile(path, "export default function (facts) { return { tftpFile: ; }");
    await waitFor(() => events.some((e) => e.kind === "rules-error"), {
      what: "a rules-error event",
      timeoutMs: 5000,
    });
    assertMatch(rules.lastError ?? "", /do not load/);
    assertMatch(JSON.stringify((await rules.evaluate(facts({}))).decision), /undionly\.kpxe/);
    await Deno.writeTextFile(path, `export default () => ({ tftpFile: "other.efi" });`);
    await waitFor(
      // Until then an evaluation may also fail (a cold sandbox past its 250 ms on a loaded machine): not yet.
      async () => JSON.stringify((await rules.evaluate(facts({}))).decision)?.includes("other.efi") ?? false,
      {
        what: "the fixed rules in force",
        timeoutMs: 5000,
      },
    );
    assertEquals(events.at(-1)?.kind, "rules-loaded");
  }));

Deno.test("boot rules: the sandbox has no permissions, and a stuck rule times out without harm", async () => {
  await withRules(`export default () => ({ tftpFile: "a" });`, async (rules) => {
    for (
      const source of [
        `const t = await Deno.readTextFile("/etc/hostname"); export default () => ({ tftpFile: t });`,
        `import x from "file:///etc/hostname" with { type: "text" }; export default () => ({ tftpFile: x });`,
        `export default () => { Deno.env.get("HOME"); return { tftpFile: "a" }; };`,
        `export default () => ({ tftpFile: "a", shell: "rm -rf /" });`,
        `export default () => ({ httpUrl: "javascript:alert(1)" });`,
      ]
    ) {
      const problem = await rules.check(source);
      assert(problem !== undefined, `accepted: ${source}`);
    }
  });
  await withRules(
    `export default (f) => { if (f.mac === "02:00:00:00:00:66") { for (;;) {} } return { tftpFile: "a" }; };`,
    async (rules) => {
      const stuck = await rules.evaluate(facts({ mac: "02:00:00:00:00:66" }));
      assertMatch(stuck.error ?? "", /no answer within/);
      assertEquals(
        (await rules.evaluate(facts({}))).decision?.ignore,
        undefined,
        "the next call works again",
      );
    },
  );
});

Deno.test("boot rules: a machine asking while a new version is switched in gets the old version's answer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-rules-" });
  const path = `${dir}/rules.ts`;
  // The slow machine's rule runs well past the time a new version needs to load and be tried.
  const version = (name: string) =>
    `export default (f) => { if (f.mac === "02:00:00:00:00:77") { const end = Date.now() + 1500; ` +
    `while (Date.now() < end) {} } return { tftpFile: "${name}" }; };`;
  await Deno.writeTextFile(path, version("old"));
  const rules = new BootRules({ path, log, timeoutMs: 5_000 });
  try {
    await rules.start();
    const inFlight = rules.evaluate(facts({ mac: "02:00:00:00:00:77" }));
    await Deno.writeTextFile(path, version("new"));
    assert(await rules.reload(), rules.lastError);
    assertEquals((await rules.evaluate(facts({}))).decision, {
      tftpFile: "new",
      httpUrl: undefined,
      nextServer: undefined,
    });
    const answer = await inFlight;
    assertEquals(answer, { decision: { tftpFile: "old", httpUrl: undefined, nextServer: undefined } });
  } finally {
    rules.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
