/**
 * HTTP/1.1 answers for one file, as bytes on the wire, for servers that write to sockets themselves:
 * the same semantics as serveFile (files.ts) — validators, 304, one byte range (206/416), HEAD — with the
 * body left to the caller (bytes it holds, or a stretch of the file for sendfile).
 */
import { contentTypeOf, etagOf, ifNoneMatchHits } from "./files.ts";
import { parseRange } from "./range.ts";
import type { RequestHead } from "./request_head.ts";

/** The file a path check saw, to be matched by the fd that is finally opened (core/http/checked_open.ts). */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export type ResponseBody =
  | { kind: "none" }
  | { kind: "bytes"; bytes: Uint8Array }
  /**
   * A stretch of the file that was checked: `identity` must still be what opening `path` finds. The
   * server opens it before anything of the answer is sent and keeps the fd in `fd`.
   */
  | { kind: "file"; path: string; start: number; length: number; identity: FileIdentity; fd?: number };

export interface PlannedResponse {
  status: number;
  /** Status line and header fields, through the empty line. */
  head: Uint8Array;
  body: ResponseBody;
  /** Body bytes to be sent (for events). */
  bytes: number;
  /** Whether the connection stays open after this answer. */
  keepAlive: boolean;
}

export interface ServedFile {
  path: string;
  info: Deno.FileInfo;
  /** The whole content, when the caller holds it in memory. */
  content?: Uint8Array;
}

const REASONS: Record<number, string> = {
  200: "OK",
  206: "Partial Content",
  304: "Not Modified",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Content Too Large",
  416: "Range Not Satisfiable",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

const encoder = new TextEncoder();

// RFC 9110 §6.6.1 asks an origin server with a clock for Date; it changes once a second, so it is
// formatted once a second.
let dateSecond = -1;
let dateField = "";
function dateHeader(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateField = `date: ${new Date(second * 1000).toUTCString()}\r\n`;
  }
  return dateField;
}

function connectionField(head: Pick<RequestHead, "minorVersion">, keepAlive: boolean): string {
  if (!keepAlive) return "connection: close\r\n";
  return head.minorVersion === 0 ? "connection: keep-alive\r\n" : "";
}

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${REASONS[status] ?? "Unknown"}\r\n`;
}

/** A short plain-text answer: errors, refusals. */
export function textResponse(
  status: number,
  text: string,
  options: { keepAlive: boolean; minorVersion?: 0 | 1; method?: string; extra?: string },
): PlannedResponse {
  const body = encoder.encode(text);
  const head = statusLine(status) + dateHeader() +
    `content-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\n` + (options.extra ?? "") +
    connectionField({ minorVersion: options.minorVersion ?? 1 }, options.keepAlive) + "\r\n";
  const withBody = options.method !== "HEAD";
  return {
    status,
    head: encoder.encode(head),
    body: withBody ? { kind: "bytes", bytes: body } : { kind: "none" },
    bytes: withBody ? body.length : 0,
    keepAlive: options.keepAlive,
  };
}

// Per stat result, as files.ts does: callers that reuse a stat (bofied's lookup cache) skip formatting the
// same validators on every request.
const validatorsByStat = new WeakMap<Deno.FileInfo, { etag: string; fields: string }>();
function validatorFields(info: Deno.FileInfo): { etag: string; fields: string } {
  let known = validatorsByStat.get(info);
  if (!known) {
    const etag = etagOf(info);
    let fields = `etag: ${etag}\r\naccept-ranges: bytes\r\n`;
    if (info.mtime) fields += `last-modified: ${info.mtime.toUTCString()}\r\n`;
    validatorsByStat.set(info, known = { etag, fields });
  }
  return known;
}

/** GET or HEAD of `file` for `head`. */
export function fileResponse(head: RequestHead, file: ServedFile): PlannedResponse {
  const { info } = file;
  const { etag, fields } = validatorFields(info);
  const keepAlive = head.keepAlive;
  const finish = (status: number, more: string, body: ResponseBody, bytes: number): PlannedResponse => ({
    status,
    head: encoder.encode(
      statusLine(status) + dateHeader() + fields + more + connectionField(head, keepAlive) + "\r\n",
    ),
    body: head.method === "HEAD" ? { kind: "none" } : body,
    bytes: head.method === "HEAD" ? 0 : bytes,
    keepAlive,
  });

  if (ifNoneMatchHits(head.ifNoneMatch, etag)) return finish(304, "", { kind: "none" }, 0);
  const range = parseRange(head.range, info.size);
  if (range.kind === "unsatisfiable") {
    return finish(416, `content-range: bytes */${info.size}\r\ncontent-length: 0\r\n`, { kind: "none" }, 0);
  }
  const start = range.kind === "partial" ? range.start : 0;
  const end = range.kind === "partial" ? range.end : info.size - 1;
  const length = Math.max(0, end - start + 1);
  let more = `content-type: ${contentTypeOf(file.path)}\r\ncontent-length: ${length}\r\n`;
  if (range.kind === "partial") more += `content-range: bytes ${start}-${end}/${info.size}\r\n`;
  const status = range.kind === "partial" ? 206 : 200;
  const body: ResponseBody = file.content && file.content.length === info.size
    ? { kind: "bytes", bytes: file.content.subarray(start, start + length) }
    : {
      kind: "file",
      path: file.path,
      start,
      length,
      identity: { dev: info.dev, ino: info.ino ?? -1, size: info.size, mtimeMs: info.mtime?.getTime() ?? -1 },
    };
  return finish(status, more, length === 0 ? { kind: "none" } : body, length);
}
