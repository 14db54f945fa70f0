// The codec against a real client: curl's tftp:// support talks to testdata/responder.ts (a server built
// from this codec) on 127.0.0.1 only. Checks what curl sends against the vectors recorded from it, and
// that files arrive intact through option negotiation, plain RFC 1350, uploads, netascii and the block
// number wrap. Skipped when curl is not installed.
import { toHexString } from "../bytes.ts";
import { assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { unwrap } from "../errors.ts";
import { decodeTftp, type TftpWrq } from "./packets.ts";
import { TFTP_ACK, TFTP_DATA, TFTP_OACK } from "./codes.ts";
import { decodeNetascii, encodeNetascii } from "./netascii.ts";
import { startResponder } from "./testdata/responder.ts";
import {
  CURL_ACK_0,
  CURL_ACK_3,
  CURL_DATA_LAST,
  CURL_RRQ,
  CURL_RRQ_BLKSIZE_1468,
  CURL_RRQ_NETASCII,
  CURL_RRQ_NO_OPTIONS,
  CURL_WRQ_TSIZE_3000,
} from "./testdata/vectors.ts";

async function curlVersion(): Promise<string | undefined> {
  try {
    const output = await new Deno.Command("curl", { args: ["--version"], stdout: "piped", stderr: "null" })
      .output();
    const text = new TextDecoder().decode(output.stdout);
    return output.success && /^Protocols:.* tftp/m.test(text) ? text.split("\n")[0] : undefined;
  } catch {
    return undefined;
  }
}

const version = await curlVersion();
const ignore = version === undefined;

/**
 * Runs curl, killed (by its PID, through the signal) after 30 s; returns its exit code and stderr. No
 * --max-time: curl derives the timeout option it sends from it, and the recordings were made without.
 */
async function curl(...args: string[]): Promise<{ code: number; stderr: string }> {
  const output = await new Deno.Command("curl", {
    args: ["-sS", ...args],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

/** Bytes where byte i is 7 * i mod 256, as in the recorded upload. */
const pattern = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7) & 0xff);

async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-tftp-" });
  try {
    return await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "tftp with curl: a read with tsize, blksize and timeout negotiated, as recorded",
  ignore,
  fn: () =>
    withTempDir(async (dir) => {
      const file = pattern(1100);
      await using server = await startResponder(new Map([["boot/pxelinux.0", file]]), { maxBlockSize: 1468 });
      const result = await curl(`tftp://127.0.0.1:${server.port}/boot/pxelinux.0`, "-o", `${dir}/out`);
      assertStrictEquals(result.code, 0, result.stderr);
      await server.transfersDone(1);
      assertEquals(await Deno.readFile(`${dir}/out`), file);
      // The request decodes like the recording (byte for byte with curl 7.88.1), then ACK 0 for the OACK
      // and one ACK per DATA: 512 + 512 + 76 bytes.
      assertEquals(unwrap(decodeTftp(server.received[0])), unwrap(decodeTftp(CURL_RRQ)), version);
      if (version!.startsWith("curl 7.88.1 ")) {
        assertStrictEquals(toHexString(server.received[0]), toHexString(CURL_RRQ));
      }
      assertEquals(
        server.received.slice(1).map((bytes) => toHexString(bytes)),
        [toHexString(CURL_ACK_0), "00040001", "00040002", toHexString(CURL_ACK_3)],
      );
      const oack = unwrap(decodeTftp(server.sent[0]));
      assertEquals(oack, {
        op: TFTP_OACK,
        options: new Map([["tsize", "1100"], ["blksize", "512"], ["timeout", "6"]]),
      });
      assertEquals(
        server.sent.slice(1).map((bytes) => bytes.length),
        [516, 516, 80],
      );
    }),
});

Deno.test({
  name: "tftp with curl: blksize 1468 requested, the server's 1024 accepted",
  ignore,
  fn: () =>
    withTempDir(async (dir) => {
      const file = pattern(3000);
      await using server = await startResponder(new Map([["boot/pxelinux.0", file]]), { maxBlockSize: 1024 });
      const result = await curl(
        "--tftp-blksize",
        "1468",
        `tftp://127.0.0.1:${server.port}/boot/pxelinux.0`,
        "-o",
        `${dir}/out`,
      );
      assertStrictEquals(result.code, 0, result.stderr);
      await server.transfersDone(1);
      assertEquals(await Deno.readFile(`${dir}/out`), file);
      assertEquals(unwrap(decodeTftp(server.received[0])), unwrap(decodeTftp(CURL_RRQ_BLKSIZE_1468)));
      assertStrictEquals(
        toHexString(server.sent[0]),
        toHexString(new TextEncoder().encode("\0\x06tsize\x003000\0blksize\x001024\0timeout\x006\0")),
      );
      assertEquals(server.sent.slice(1).map((bytes) => bytes.length), [1028, 1028, 956]);
    }),
});

Deno.test({
  name: "tftp with curl: a plain RFC 1350 read starts with DATA 1",
  ignore,
  fn: () =>
    withTempDir(async (dir) => {
      const file = pattern(1024); // a multiple of 512: an empty DATA 3 ends it
      await using server = await startResponder(new Map([["boot/pxelinux.0", file]]));
      const result = await curl(
        "--tftp-no-options",
        `tftp://127.0.0.1:${server.port}/boot/pxelinux.0`,
        "-o",
        `${dir}/out`,
      );
      assertStrictEquals(result.code, 0, result.stderr);
      await server.transfersDone(1);
      assertEquals(await Deno.readFile(`${dir}/out`), file);
      assertStrictEquals(toHexString(server.received[0]), toHexString(CURL_RRQ_NO_OPTIONS));
      assertEquals(server.sent.map((bytes) => unwrap(decodeTftp(bytes)).op), [
        TFTP_DATA,
        TFTP_DATA,
        TFTP_DATA,
      ]);
      assertEquals(server.sent.map((bytes) => bytes.length), [516, 516, 4]);
      assertEquals(server.received.slice(1).map((bytes) => toHexString(bytes)), [
        "00040001",
        "00040002",
        "00040003",
      ]);
    }),
});

Deno.test({
  name: "tftp with curl: an upload announces its size and arrives intact",
  ignore,
  fn: () =>
    withTempDir(async (dir) => {
      await Deno.writeFile(`${dir}/up.bin`, pattern(1030));
      await using server = await startResponder(new Map());
      const result = await curl("-T", `${dir}/up.bin`, `tftp://127.0.0.1:${server.port}/upload/up.bin`);
      assertStrictEquals(result.code, 0, result.stderr);
      await server.transfersDone(1);
      assertEquals(server.uploads.get("upload/up.bin"), pattern(1030));
      const request = unwrap(decodeTftp(server.received[0]));
      const recorded = unwrap(decodeTftp(CURL_WRQ_TSIZE_3000)) as TftpWrq;
      assertEquals(request, { ...recorded, options: new Map([...recorded.options, ["tsize", "1030"]]) });
      assertStrictEquals(toHexString(server.received.at(-1)!), toHexString(CURL_DATA_LAST));
      assertEquals(server.sent.map((bytes) => unwrap(decodeTftp(bytes)).op), [
        TFTP_OACK,
        TFTP_ACK,
        TFTP_ACK,
        TFTP_ACK,
      ]);
    }),
});

Deno.test({
  name: "tftp with curl: netascii mode (curl stores the wire form, CR LF and CR NUL)",
  ignore,
  fn: () =>
    withTempDir(async (dir) => {
      const text = new TextEncoder().encode("line one\nline two\r\nbare cr\r end\n".repeat(20));
      await using server = await startResponder(new Map([["notes.txt", text]]));
      const result = await curl(
        `tftp://127.0.0.1:${server.port}/notes.txt;mode=netascii`,
        "-o",
        `${dir}/out`,
      );
      assertStrictEquals(result.code, 0, result.stderr);
      await server.transfersDone(1);
      assertEquals(unwrap(decodeTftp(server.received[0])), unwrap(decodeTftp(CURL_RRQ_NETASCII)));
      const stored = await Deno.readFile(`${dir}/out`);
      assertEquals(stored, encodeNetascii(text));
      assertEquals(decodeNetascii(stored), text);
      const oack = unwrap(decodeTftp(server.sent[0]));
      assertStrictEquals(
        oack.op === TFTP_OACK && oack.options.get("tsize"),
        String(encodeNetascii(text).length),
      );
    }),
});

Deno.test({
  name: "tftp with curl: ERROR 1 for a missing file ends curl with CURLE_TFTP_NOTFOUND",
  ignore,
  fn: async () => {
    await using server = await startResponder(new Map());
    const result = await curl(`tftp://127.0.0.1:${server.port}/missing`, "-o", "/dev/null");
    assertStrictEquals(result.code, 68, result.stderr);
    await server.transfersDone(1);
    assertStrictEquals(toHexString(server.sent[0]), "0005000146696c65206e6f7420666f756e6400");
  },
});

Deno.test({
  name: "tftp with curl: more than 65535 blocks, block numbers wrap to 0 (blksize 8, a few seconds)",
  ignore,
  fn: () =>
    withTempDir(async (dir) => {
      const file = pattern(65537 * 8 + 3); // 65538 DATA packets
      await using server = await startResponder(new Map([["big", file]]));
      const result = await curl(
        "--tftp-blksize",
        "8",
        `tftp://127.0.0.1:${server.port}/big`,
        "-o",
        `${dir}/out`,
      );
      assertStrictEquals(result.code, 0, result.stderr);
      await server.transfersDone(1);
      assertEquals(await Deno.readFile(`${dir}/out`), file);
      // RRQ, ACK 0 for the OACK, then ACK 1 ... 65535, 0, 1, 2.
      assertStrictEquals(server.received.length, 2 + 65538);
      assertEquals(server.received.slice(-4).map((bytes) => toHexString(bytes)), [
        "0004ffff",
        "00040000",
        "00040001",
        "00040002",
      ]);
    }),
});
