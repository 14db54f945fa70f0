// cadaver, a command-line WebDAV client (neon, like davfs2), drives the bofied binary through a lock:
// while cadaver holds it, a client without the token is refused with 423 and one with it gets through.
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";

const haveCadaver = await new Deno.Command("sh", { args: ["-c", "command -v cadaver"], stdout: "null" })
  .output()
  .then((result) => result.success);

/** cadaver reading commands from a pipe; each command's output is what it printed up to the next prompt. */
class CadaverSession implements AsyncDisposable {
  readonly #process: Deno.ChildProcess;
  readonly #input: WritableStreamDefaultWriter<Uint8Array>;
  readonly #prompt: string;
  #output = "";
  #read = 0;

  constructor(url: string, mount: string, home: string) {
    this.#prompt = `dav:${mount}/> `;
    this.#process = new Deno.Command("cadaver", {
      args: [`${url}${mount}/`],
      cwd: home,
      // Credentials from ~/.netrc in a HOME of the test's own.
      env: { HOME: home },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#input = this.#process.stdin.getWriter();
    const decoder = new TextDecoder();
    for (const stream of [this.#process.stdout, this.#process.stderr]) {
      (async () => {
        for await (const chunk of stream) this.#output += decoder.decode(chunk, { stream: true });
      })();
    }
  }

  /** Waits for the next prompt and returns what came before it. */
  async #untilPrompt(): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const at = this.#output.indexOf(this.#prompt, this.#read);
      if (at >= 0) {
        const text = this.#output.slice(this.#read, at);
        this.#read = at + this.#prompt.length;
        return text;
      }
      if (Date.now() > deadline) throw new Error(`cadaver: no prompt within 20 s:\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  started(): Promise<string> {
    return this.#untilPrompt();
  }

  async run(command: string): Promise<string> {
    await this.#input.write(new TextEncoder().encode(`${command}\n`));
    return await this.#untilPrompt();
  }

  async [Symbol.asyncDispose]() {
    await this.#input.write(new TextEncoder().encode("quit\n")).catch(() => {});
    await this.#input.close().catch(() => {});
    const killer = setTimeout(() => this.#process.kill("SIGKILL"), 5000);
    await this.#process.status;
    clearTimeout(killer);
  }
}

Deno.test({
  name: "webdav: cadaver puts, locks, writes under its lock and unlocks; others get 423 without the token",
  ignore: !haveCadaver && !Deno.env.get("CI"),
  async fn() {
    await using bofied = await startBinary({ entry: "cmd/bofied.ts" });
    const home = await Deno.makeTempDir({ prefix: "ctpf-cadaver-" });
    try {
      const { hostname } = new URL(bofied.url);
      await Deno.writeTextFile(
        `${home}/.netrc`,
        `machine ${hostname}\nlogin admin\npassword ${bofied.adminToken}\n`,
        {
          mode: 0o600,
        },
      );
      await Deno.writeTextFile(`${home}/menu.ipxe`, "#!ipxe\necho first\n");
      await Deno.writeTextFile(`${home}/menu2.ipxe`, "#!ipxe\necho by the lock holder\n");
      const other = (method: string, body: string | null, headers: Record<string, string> = {}) =>
        fetch(`${bofied.url}/dav/boot/menu.ipxe`, {
          method,
          body,
          headers: { authorization: `Bearer ${bofied.adminToken}`, ...headers },
        }).then(async (response) => ({ status: response.status, text: await response.text() }));

      await using cadaver = new CadaverSession(bofied.url, "/dav/boot", home);
      await cadaver.started();
      assertMatch(await cadaver.run("put menu.ipxe"), /Uploading .*succeeded/);
      assertMatch(await cadaver.run("lock menu.ipxe"), /Locking .*succeeded/);
      const discovered = await cadaver.run("discover menu.ipxe");
      const token = /Lock token <([^>]+)>/.exec(discovered)?.[1];
      assert(token, `no lock discovered:\n${discovered}`);
      assertMatch(discovered, /Scope: exclusive\s+Type: write/);

      const refused = await other("PUT", "#!ipxe\necho intruder\n");
      assertEquals(refused.status, 423);
      assertMatch(refused.text, /lock-token-submitted/);
      assertEquals((await other("DELETE", null)).status, 423);
      assertEquals((await other("UNLOCK", null, { "lock-token": "<urn:uuid:not-the-token>" })).status, 409);

      // The lock holder writes on; so does a client that submits the token in an If header.
      assertMatch(await cadaver.run("put menu2.ipxe menu.ipxe"), /Uploading .*succeeded/);
      assertEquals(
        await (await fetch(`${bofied.url}/boot/menu.ipxe`)).text(),
        "#!ipxe\necho by the lock holder\n",
      );
      assertEquals((await other("PUT", "#!ipxe\necho with the token\n", { if: `(<${token}>)` })).status, 204);

      assertMatch(await cadaver.run("unlock menu.ipxe"), /Unlocking .*succeeded/);
      assertMatch(await cadaver.run("get menu.ipxe back.ipxe"), /Downloading .*succeeded/);
      assertEquals(await Deno.readTextFile(`${home}/back.ipxe`), "#!ipxe\necho with the token\n");
      assertEquals((await other("PUT", "#!ipxe\necho unlocked\n")).status, 204);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
