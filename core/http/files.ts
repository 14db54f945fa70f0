import { extname } from "node:path";
import { parseRange } from "./range.ts";

const contentTypes: Record<string, string> = {
  ".ipxe": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".cfg": "text/plain; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".efi": "application/efi",
  ".iso": "application/x-iso9660-image",
  ".img": "application/octet-stream",
};

const chunkSize = 256 * 1024;

/** A stream of `length` bytes of `file` from `start`; closes the file when done or cancelled. */
function fileStream(file: Deno.FsFile, start: number, length: number): ReadableStream<Uint8Array> {
  let remaining = length;
  let positioned = false;
  return new ReadableStream({
    async pull(controller) {
      try {
        if (!positioned) {
          await file.seek(start, Deno.SeekMode.Start);
          positioned = true;
        }
        if (remaining === 0) {
          file.close();
          controller.close();
          return;
        }
        const buffer = new Uint8Array(Math.min(chunkSize, remaining));
        const read = await file.read(buffer);
        if (read === null) {
          file.close();
          controller.error(new Error("file shrank while being served"));
          return;
        }
        remaining -= read;
        controller.enqueue(buffer.subarray(0, read));
      } catch (error) {
        try {
          file.close();
        } catch { /* already closed */ }
        controller.error(error);
      }
    },
    cancel() {
      try {
        file.close();
      } catch { /* already closed */ }
    },
  });
}

/**
 * Serves one regular file with GET/HEAD semantics boot clients and download tools rely on: a strong-enough
 * validator (size + mtime), 304 for a matching If-None-Match, one byte range (206/416), and streaming
 * without reading the file into memory.
 */
export interface ServeFileOptions {
  /**
   * The whole content of small files, when the caller keeps them in memory: saves an open, reads and a
   * stream per request for the few small files (iPXE scripts, configs) that machines fetch most.
   */
  smallContent?: (path: string, info: Deno.FileInfo) => Promise<Uint8Array | undefined>;
  /** The file's stat, when the caller already has a fresh one. */
  info?: Deno.FileInfo;
}

export async function serveFile(
  request: Request,
  path: string,
  options: ServeFileOptions = {},
): Promise<Response> {
  const info = options.info ?? await Deno.stat(path);
  if (!info.isFile) return new Response("not a file\n", { status: 404 });
  const etag = `"${info.size.toString(16)}-${(info.mtime?.getTime() ?? 0).toString(16)}"`;
  const headers = new Headers({
    "accept-ranges": "bytes",
    etag,
    "content-type": contentTypes[extname(path).toLowerCase()] ?? "application/octet-stream",
  });
  if (info.mtime) headers.set("last-modified", info.mtime.toUTCString());
  if (request.headers.get("if-none-match") === etag) {
    return new Response(null, { status: 304, headers });
  }
  const range = parseRange(request.headers.get("range"), info.size);
  if (range.kind === "unsatisfiable") {
    headers.set("content-range", `bytes */${info.size}`);
    return new Response(null, { status: 416, headers });
  }
  const start = range.kind === "partial" ? range.start : 0;
  const end = range.kind === "partial" ? range.end : info.size - 1;
  const length = Math.max(0, end - start + 1);
  headers.set("content-length", String(length));
  if (range.kind === "partial") headers.set("content-range", `bytes ${start}-${end}/${info.size}`);
  const status = range.kind === "partial" ? 206 : 200;
  if (request.method === "HEAD") return new Response(null, { status, headers });
  const small = await options.smallContent?.(path, info);
  if (small && small.length === info.size) {
    return new Response(small.subarray(start, start + length) as Uint8Array<ArrayBuffer>, {
      status,
      headers,
    });
  }
  const file = await Deno.open(path, { read: true });
  return new Response(fileStream(file, start, length), { status, headers });
}
