// litmus (the WebDAV server test suite, Debian's 0.13) against the bofied binary: every suite — basic,
// copymove, props, locks, http — must report every test run and passed, with none skipped.
import { assert } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";

const haveLitmus = await new Deno.Command("sh", { args: ["-c", "command -v litmus"], stdout: "null" })
  .output()
  .then((result) => result.success);

/** The tests each suite of litmus 0.13 runs when the server is class 2: fewer means some were skipped. */
const suites: Record<string, number> = { basic: 16, copymove: 13, props: 30, locks: 41, http: 4 };

Deno.test({
  name: "webdav: litmus 0.13 passes every test of every suite (basic, copymove, props, locks, http)",
  ignore: !haveLitmus && !Deno.env.get("CI"),
  async fn() {
    await using bofied = await startBinary({ entry: "cmd/bofied.ts" });
    // litmus leaves debug.log and child.log in its working directory.
    const workDir = await Deno.makeTempDir({ prefix: "ctpf-litmus-" });
    try {
      const output = await new Deno.Command("litmus", {
        // -k: run every suite even after a failing one, so the report names all failures at once.
        args: ["-k", `${bofied.url}/dav/boot/`, "admin", bofied.adminToken],
        cwd: workDir,
        env: { TESTS: Object.keys(suites).join(" ") },
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(300_000),
      }).output();
      const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
      const problems: string[] = [];
      for (const [suite, expected] of Object.entries(suites)) {
        const summary = new RegExp(
          `<- summary for \`${suite}': of (\\d+) tests run: (\\d+) passed, (\\d+) failed`,
        ).exec(text);
        if (!summary) {
          problems.push(`${suite}: no summary`);
          continue;
        }
        const [run, passed, failed] = summary.slice(1).map(Number);
        if (failed > 0 || passed !== run) problems.push(`${suite}: ${passed} of ${run} passed`);
        if (run < expected) problems.push(`${suite}: only ${run} tests ran, ${expected} expected`);
      }
      // A test line reads "NN. name.... NN. name.... pass|FAIL (why)|SKIPPED"; warnings are allowed.
      const failing = text.split("\n").filter((line) => /\.\.\.\. (FAIL|SKIPPED)/.test(line));
      if (failing.length > 0) problems.push(...failing.map((line) => line.trim()));
      assert(problems.length === 0, `litmus:\n${problems.join("\n")}\n\n${text.slice(-3000)}`);
    } finally {
      await Deno.remove(workDir, { recursive: true });
    }
  },
});
