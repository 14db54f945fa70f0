// The Engine API's progress streams (/build, /images/create) are JSON messages, one per line.

/** One message of a progress stream, as the daemon's jsonmessage package writes it. */
export interface JsonMessage {
  id?: string;
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: unknown;
}

export class JsonStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonStreamError";
  }
}

/** A line longer than this is not a progress message (trace messages are a few KiB). */
const MAX_LINE = 16 * 1024 * 1024;

export async function* jsonMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<JsonMessage> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield parse(line);
    }
    if (pending.length > MAX_LINE) throw new JsonStreamError("progress message too long");
  }
  pending += decoder.decode();
  if (pending.trim()) yield parse(pending.trim());
}

function parse(line: string): JsonMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new JsonStreamError(`progress message is not JSON: ${line.slice(0, 200)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JsonStreamError(`progress message is not an object: ${line.slice(0, 200)}`);
  }
  return value as JsonMessage;
}
