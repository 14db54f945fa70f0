import { assertEquals } from "../../testing/assert.ts";
import { FileBlocks } from "./block_source.ts";

Deno.test("tftp file blocks: in order, resent and random ranges read the file's own bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-file-blocks-" });
  try {
    const content = new Uint8Array(200_000 + 77);
    crypto.getRandomValues(content.subarray(0, 65536));
    for (let i = 65536; i < content.length; i++) content[i] = (i * 31 + (i >> 8)) & 0xff;
    await Deno.writeFile(`${dir}/f`, content);
    using blocks = new FileBlocks(await Deno.open(`${dir}/f`), content.length, 1468);
    const expect = (start: number, end: number) =>
      assertEquals(blocks.subarray(start, end), content.subarray(start, Math.min(end, content.length)));
    // Every block in order, past the read-ahead buffer's end, to the short last block.
    for (let start = 0; start < content.length; start += 1468) expect(start, start + 1468);
    // A resent window (behind the buffer), runs wider than one block, and random ranges.
    expect(1468 * 3, 1468 * 7);
    expect(0, 8192);
    for (let i = 0; i < 500; i++) {
      const start = Math.floor(Math.random() * content.length);
      expect(start, start + 1 + Math.floor(Math.random() * 65536));
    }
    // A run larger than the read-ahead minimum (a wide window's segmented send) arrives whole.
    using wide = new FileBlocks(await Deno.open(`${dir}/f`), content.length, 65464 * 2);
    assertEquals(wide.subarray(1000, 1000 + 65464 * 2), content.subarray(1000, 1000 + 65464 * 2));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
