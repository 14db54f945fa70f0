// The committed services.gen.json must be what scripts/gen_services.ts makes of the registry file it names.
import { assertEquals } from "../../testing/assert.ts";
import { createHash } from "node:crypto";
import committed from "./services.gen.json" with { type: "json" };

const root = new URL("../../../", import.meta.url).pathname;

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

// Another machine may lack the registry copy the file was made from, or have a newer one (a Debian
// update): then there is nothing to compare, and regenerating is a deliberate change, not a CI failure.
const sameSource = exists(committed.source.file) &&
  createHash("sha256").update(Deno.readFileSync(committed.source.file)).digest("hex") ===
    committed.source.sha256;

Deno.test({
  name: "services: services.gen.json is current (scripts/gen_services.ts --check)",
  ignore: !sameSource,
  async fn() {
    const check = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "scripts/gen_services.ts", "--check", "--source", committed.source.file],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    });
    const { code, stderr } = await check.output();
    assertEquals(code, 0, new TextDecoder().decode(stderr));
  },
});
