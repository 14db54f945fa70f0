import { useEffect, useState } from "preact/hooks";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { GetMetadataResponse } from "../../../core/api/gen/ctpf/v1/metadata_pb.ts";
import { LogLevel, type LogRecord, LogService } from "../../../core/api/gen/ctpf/v1/log_pb.ts";
import { client } from "../client.ts";
import { useLiveStream } from "../live.ts";

const levelNames: Record<number, string> = {
  [LogLevel.DEBUG]: "debug",
  [LogLevel.INFO]: "info",
  [LogLevel.WARN]: "warn",
  [LogLevel.ERROR]: "error",
};

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  return (d ? `${d}d ` : "") + `${h}h ${m}m ${s}s`;
}

/** The node overview: what runs here (metadata) and the live log of this process. */
export function Overview({ metadata }: { metadata: GetMetadataResponse }) {
  const startedAt = metadata.startedAt ? timestampDate(metadata.startedAt) : new Date();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const logs = useLiveStream<{ record?: LogRecord }, LogRecord[]>(
    (signal) => client(LogService).tailLogs({ history: 200, minLevel: LogLevel.INFO }, { signal }),
    (records, message) => message.record ? [...records.slice(-499), message.record] : records,
    [],
  );
  return (
    <section>
      <h2>Overview</h2>
      <dl class="facts" aria-label="Metadata">
        <dt>Binary</dt>
        <dd data-field="binary">{metadata.binary}</dd>
        <dt>Version</dt>
        <dd data-field="version">{metadata.version}</dd>
        <dt>Host</dt>
        <dd data-field="hostname">{metadata.hostname}</dd>
        <dt>Uptime</dt>
        <dd data-field="uptime">
          {formatUptime(Math.max(0, Math.floor((now - startedAt.getTime()) / 1000)))}
        </dd>
        <dt>Runtime</dt>
        <dd data-field="runtime">
          Deno {metadata.build?.deno} · V8 {metadata.build?.v8} · {metadata.build?.target}
        </dd>
        <dt>Commit</dt>
        <dd data-field="commit">{metadata.build?.commit || "unknown"}</dd>
      </dl>
      <h3>
        Log{" "}
        <span class={logs.connected ? "dot on" : "dot"} title={logs.connected ? "live" : "reconnecting"} />
      </h3>
      {logs.error && <p class="error">{logs.error}</p>}
      <table class="log" aria-label="Live log">
        <tbody>
          {logs.state.map((record) => (
            <tr key={String(record.seq)} class={levelNames[record.level]}>
              <td>{record.time ? timestampDate(record.time).toLocaleTimeString() : ""}</td>
              <td>{levelNames[record.level]}</td>
              <td>{record.component}</td>
              <td>
                {record.message}{" "}
                <span class="fields">
                  {Object.entries(record.fields).map(([k, v]) => `${k}=${v}`).join(" ")}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
