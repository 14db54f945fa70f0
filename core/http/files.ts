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

/** The Content-Type a file is served with, from its name's extension. */
export function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/** The validator every server of ours gives a file: its size and mtime, so any change shows. */
export function etagOf(info: Pick<Deno.FileInfo, "size" | "mtime">): string {
  return `"${info.size.toString(16)}-${(info.mtime?.getTime() ?? 0).toString(16)}"`;
}

/**
 * Whether If-None-Match names the current version (RFC 9110 §13.1.2): "*", or a list of entity tags
 * compared weakly (a W/ prefix is ignored).
 */
export function ifNoneMatchHits(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

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
  /** Told the status and body size of the answer (reading them back from a Response costs a Headers). */
  onAnswer?: (status: number, bytes: number) => void;
}

interface Validators {
  etag: string;
  headers: Record<string, string>;
}

// Validators and fixed headers per stat result: callers that reuse a stat (bofied's lookup cache) skip
// rebuilding the same strings on every request.
const validatorsByStat = new WeakMap<Deno.FileInfo, Validators>();

function validatorsOf(path: string, info: Deno.FileInfo): Validators {
  let known = validatorsByStat.get(info);
  if (known) return known;
  const etag = etagOf(info);
  const headers: Record<string, string> = {
    "accept-ranges": "bytes",
    etag,
    "content-type": contentTypeOf(path),
  };
  if (info.mtime) headers["last-modified"] = info.mtime.toUTCString();
  validatorsByStat.set(info, known = { etag, headers });
  return known;
}

type Plan =
  | { done: Response }
  | { done?: undefined; status: number; start: number; length: number; headers: Record<string, string> };

/** Everything decided from the request and the stat alone: validators, range, HEAD. */
function plan(
  request: Request,
  path: string,
  info: Deno.FileInfo,
  onAnswer?: ServeFileOptions["onAnswer"],
): Plan {
  const validators = validatorsOf(path, info);
  // A plain record, not a Headers object: Deno builds the response's header list from it much faster.
  // Shared until a per-request header is added (Response copies what it is given).
  let headers = validators.headers;
  const own = () => headers === validators.headers ? headers = { ...headers } : headers;
  if (ifNoneMatchHits(request.headers.get("if-none-match"), validators.etag)) {
    onAnswer?.(304, 0);
    return { done: new Response(null, { status: 304, headers }) };
  }
  const range = parseRange(request.headers.get("range"), info.size);
  if (range.kind === "unsatisfiable") {
    own()["content-range"] = `bytes */${info.size}`;
    onAnswer?.(416, 0);
    return { done: new Response(null, { status: 416, headers }) };
  }
  const start = range.kind === "partial" ? range.start : 0;
  const end = range.kind === "partial" ? range.end : info.size - 1;
  const length = Math.max(0, end - start + 1);
  if (range.kind === "partial") own()["content-range"] = `bytes ${start}-${end}/${info.size}`;
  const status = range.kind === "partial" ? 206 : 200;
  if (request.method === "HEAD") {
    own()["content-length"] = String(length);
    onAnswer?.(status, 0);
    return { done: new Response(null, { status, headers }) };
  }
  return { status, start, length, headers };
}

/**
 * Serves a regular file whose whole content the caller holds in memory, synchronously: the hot path for
 * the few small files (iPXE scripts, configs) a booting fleet fetches most.
 */
export function serveBytes(
  request: Request,
  path: string,
  info: Deno.FileInfo,
  content: Uint8Array,
  onAnswer?: ServeFileOptions["onAnswer"],
): Response {
  const planned = plan(request, path, info, onAnswer);
  if (planned.done) return planned.done;
  const { status, start, length, headers } = planned;
  // Deno sets content-length from a byte body itself.
  onAnswer?.(status, length);
  return new Response(content.subarray(start, start + length) as Uint8Array<ArrayBuffer>, {
    status,
    headers,
  });
}

export async function serveFile(
  request: Request,
  path: string,
  options: ServeFileOptions = {},
): Promise<Response> {
  const info = options.info ?? await Deno.stat(path);
  if (!info.isFile) {
    options.onAnswer?.(404, 0);
    return new Response("not a file\n", { status: 404 });
  }
  const small = request.method === "HEAD" ? undefined : await options.smallContent?.(path, info);
  if (small && small.length === info.size) return serveBytes(request, path, info, small, options.onAnswer);
  const planned = plan(request, path, info, options.onAnswer);
  if (planned.done) return planned.done;
  const { status, start, length } = planned;
  const headers = { ...planned.headers, "content-length": String(length) };
  const file = await Deno.open(path, { read: true });
  options.onAnswer?.(status, length);
  if (start + length === info.size) {
    // To the end of the file: the file's own stream, which Deno pipes to the socket without JavaScript.
    if (start > 0) await file.seek(start, Deno.SeekMode.Start);
    return new Response(file.readable, { status, headers });
  }
  return new Response(fileStream(file, start, length), { status, headers });
}
