// BuildKit's progress as the Engine API streams it: each `moby.buildkit.trace` aux message is a
// base64 `StatusResponse` (buildkit's control.proto). Only the fields a build's steps and logs need are
// read; the wire reader is protobuf-es's, the field numbers are buildkit's:
//   StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2; repeated VertexLog logs = 3; }
//   Vertex { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
//            Timestamp started = 5; Timestamp completed = 6; string error = 7; }
//   VertexLog { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
//   Timestamp { int64 seconds = 1; int32 nanos = 2; }
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  /** Milliseconds since the epoch. */
  started?: number;
  completed?: number;
  error?: string;
}

export interface TraceLog {
  vertex: string;
  /** 1 stdout, 2 stderr. */
  stream: number;
  data: Uint8Array;
}

export interface TraceUpdate {
  vertexes: TraceVertex[];
  logs: TraceLog[];
}

export class TraceDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TraceDecodeError";
  }
}

// Nesting is fixed and shallow; a message nested deeper than this is not buildkit's.
const SKIP_DEPTH = 8;

/** Decodes one StatusResponse; anything malformed is a TraceDecodeError, never another exception. */
export function decodeTrace(bytes: Uint8Array): TraceUpdate {
  try {
    return readStatus(new BinaryReader(bytes));
  } catch (error) {
    if (error instanceof TraceDecodeError) throw error;
    throw new TraceDecodeError(`malformed buildkit trace: ${(error as Error).message}`);
  }
}

/** The aux value of a `moby.buildkit.trace` message: base64 of a StatusResponse. */
export function decodeTraceAux(base64: string): TraceUpdate {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    throw new TraceDecodeError("buildkit trace is not base64");
  }
  return decodeTrace(bytes);
}

function readStatus(reader: BinaryReader): TraceUpdate {
  const update: TraceUpdate = { vertexes: [], logs: [] };
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === WireType.LengthDelimited) update.vertexes.push(readVertex(sub(reader)));
    else if (field === 3 && type === WireType.LengthDelimited) update.logs.push(readLog(sub(reader)));
    else reader.skip(type, field, SKIP_DEPTH);
  }
  return update;
}

function readVertex(reader: BinaryReader): TraceVertex {
  const vertex: TraceVertex = { digest: "", name: "", cached: false };
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === WireType.LengthDelimited) vertex.digest = reader.string();
    else if (field === 3 && type === WireType.LengthDelimited) vertex.name = reader.string();
    else if (field === 4 && type === WireType.Varint) vertex.cached = reader.bool();
    else if (field === 5 && type === WireType.LengthDelimited) vertex.started = readTimestamp(sub(reader));
    else if (field === 6 && type === WireType.LengthDelimited) vertex.completed = readTimestamp(sub(reader));
    else if (field === 7 && type === WireType.LengthDelimited) vertex.error = reader.string();
    else reader.skip(type, field, SKIP_DEPTH);
  }
  return vertex;
}

function readLog(reader: BinaryReader): TraceLog {
  const log: TraceLog = { vertex: "", stream: 0, data: new Uint8Array() };
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === WireType.LengthDelimited) log.vertex = reader.string();
    else if (field === 3 && type === WireType.Varint) log.stream = Number(reader.int64());
    else if (field === 4 && type === WireType.LengthDelimited) log.data = reader.bytes().slice();
    else reader.skip(type, field, SKIP_DEPTH);
  }
  return log;
}

function readTimestamp(reader: BinaryReader): number {
  let seconds = 0, nanos = 0;
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === WireType.Varint) seconds = Number(reader.int64());
    else if (field === 2 && type === WireType.Varint) nanos = reader.int32();
    else reader.skip(type, field, SKIP_DEPTH);
  }
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

/** A reader over the next length-delimited field, so a nested message cannot read past its own end. */
function sub(reader: BinaryReader): BinaryReader {
  return new BinaryReader(reader.bytes());
}
