import { assertEquals, assertThrows } from "../../core/testing/assert.ts";
import { parseSha256Sums, sha256Hex, sha256Sums } from "./checksums.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

// sha256sum itself checks what sha256Sums wrote, and parseSha256Sums reads it back.
Deno.test("sha256Sums writes what sha256sum -c accepts, and parseSha256Sums reads it back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = { "b-0.1.0-linux-x86_64.tar.gz": "b", "a-0.1.0-linux-aarch64.tar.gz": "a" };
    const sums = new Map<string, string>();
    for (const [file, content] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${file}`, content);
      sums.set(file, await sha256Hex(bytes(content)));
    }
    const text = sha256Sums(sums);
    await Deno.writeTextFile(`${dir}/SHA256SUMS`, text);
    const check = await new Deno.Command("sha256sum", { args: ["-c", "--strict", "SHA256SUMS"], cwd: dir })
      .output();
    assertEquals(check.code, 0, new TextDecoder().decode(check.stderr));
    assertEquals(text.split("\n")[0].endsWith("  a-0.1.0-linux-aarch64.tar.gz"), true, "sorted by name");
    assertEquals(parseSha256Sums(text), sums);

    await Deno.writeTextFile(`${dir}/a-0.1.0-linux-aarch64.tar.gz`, "changed");
    const changed = await new Deno.Command("sha256sum", { args: ["-c", "SHA256SUMS"], cwd: dir }).output();
    assertEquals(changed.code, 1, "a changed file fails the check");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseSha256Sums refuses damaged lines and paths; sha256Sums refuses names with a slash", () => {
  const hash = "a".repeat(64);
  assertEquals(parseSha256Sums(`${hash.toUpperCase()} *x.tar.gz\n`), new Map([["x.tar.gz", hash]]));
  for (const line of [`${hash.slice(1)}  x`, `${hash}  ../x`, `${hash}  dir/x`, `${hash}x`, "garbage"]) {
    assertThrows(() => parseSha256Sums(`${line}\n`), /not a SHA256SUMS line/);
  }
  assertThrows(() => sha256Sums(new Map([["../x", hash]])), /not a plain file name/);
});
