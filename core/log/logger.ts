import { Hub } from "../stream/hub.ts";
import { hasControlCharacter } from "../text/control.ts";

export type Level = "debug" | "info" | "warn" | "error";
export type LogFormat = "logfmt" | "json";

const levelRank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLevel(value: string): value is Level {
  return value in levelRank;
}

export function levelAtLeast(level: Level, minimum: Level): boolean {
  return levelRank[level] >= levelRank[minimum];
}

export type Fields = Record<string, string | number | boolean | bigint | null | undefined>;

export interface LogRecord {
  seq: number;
  time: Date;
  level: Level;
  component: string;
  message: string;
  fields: Record<string, string>;
}

export interface LoggerOptions {
  level: Level;
  format: LogFormat;
  /** Where formatted lines go; stderr by default so stdout stays free for command output. */
  write?: (line: string) => void;
  /** Records kept for LogService.TailLogs replay. */
  historySize?: number;
}

/**
 * One logging sink per process. Components take a child `Logger` so every record names who logged it;
 * records go to stderr (logfmt or JSON lines) and into a hub the API streams from.
 */
export class LogSink {
  readonly hub: Hub<LogRecord>;
  #seq = 0;
  #write: (line: string) => void;

  constructor(readonly options: LoggerOptions) {
    this.hub = new Hub({ historySize: options.historySize ?? 1000, subscriberQueue: 1000 });
    const encoder = new TextEncoder();
    this.#write = options.write ?? ((line) => Deno.stderr.writeSync(encoder.encode(line + "\n")));
  }

  /** Whether `level` would be logged: lets hot paths skip building fields for records nobody sees. */
  enabled(level: Level): boolean {
    return levelAtLeast(level, this.options.level);
  }

  logger(component: string): Logger {
    return new Logger(this, component);
  }

  emit(level: Level, component: string, message: string, fields: Fields): void {
    if (!levelAtLeast(level, this.options.level)) return;
    const record: LogRecord = {
      seq: ++this.#seq,
      time: new Date(),
      level,
      component,
      message: bounded(message),
      fields: stringifyFields(fields),
    };
    this.#write(this.options.format === "json" ? formatJson(record) : formatLogfmt(record));
    this.hub.publish(record);
  }
}

export class Logger {
  constructor(private readonly sink: LogSink, readonly component: string) {}

  enabled(level: Level): boolean {
    return this.sink.enabled(level);
  }

  child(component: string): Logger {
    return new Logger(this.sink, `${this.component}.${component}`);
  }

  debug(message: string, fields: Fields = {}): void {
    this.sink.emit("debug", this.component, message, fields);
  }
  info(message: string, fields: Fields = {}): void {
    this.sink.emit("info", this.component, message, fields);
  }
  warn(message: string, fields: Fields = {}): void {
    this.sink.emit("warn", this.component, message, fields);
  }
  error(message: string, fields: Fields = {}): void {
    this.sink.emit("error", this.component, message, fields);
  }
}

// Field values come from the network (user names, hostnames): a cap keeps one record small whatever a
// client sends, since records are kept and streamed.
const maxFieldLength = 256;

function bounded(text: string): string {
  return text.length <= maxFieldLength ? text : `${text.slice(0, maxFieldLength)}…(${text.length} chars)`;
}

function stringifyFields(fields: Fields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) out[key] = bounded(String(value));
  }
  return out;
}

export function formatJson(record: LogRecord): string {
  return JSON.stringify({
    time: record.time.toISOString(),
    level: record.level,
    component: record.component,
    msg: record.message,
    ...record.fields,
  });
}

export function formatLogfmt(record: LogRecord): string {
  const pairs = [
    `time=${record.time.toISOString()}`,
    `level=${record.level}`,
    `component=${logfmtValue(record.component)}`,
    `msg=${logfmtValue(record.message)}`,
  ];
  for (const [key, value] of Object.entries(record.fields)) pairs.push(`${key}=${logfmtValue(value)}`);
  return pairs.join(" ");
}

function logfmtValue(value: string): string {
  // Control characters count as "needs quoting": JSON.stringify escapes them, so one record stays one line.
  const plain = value !== "" && !/[\s"=\\]/.test(value) && !hasControlCharacter(value);
  if (plain) return value;
  return JSON.stringify(value);
}
