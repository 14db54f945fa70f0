import { useEffect, useState } from "preact/hooks";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { GetMetadataResponse } from "../../../core/api/gen/ctpf/v1/metadata_pb.ts";
import { LogLevel, type LogRecord, LogService } from "../../../core/api/gen/ctpf/v1/log_pb.ts";
import { OverviewService } from "../../../core/api/gen/ctpf/v1/overview_pb.ts";
import { client } from "../client.ts";
import { SparkChart } from "../components/spark_chart.tsx";
import { useLiveStream } from "../live.ts";
import { usePolled } from "../polled.ts";
import { routeHref } from "../route.ts";

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

/** Each hosted service's health and headline numbers with an hour of history. */
function Dashboard() {
  const overview = usePolled(() => client(OverviewService).getOverview({}), 5000);
  if (!overview) return <p class="muted">Loading…</p>;
  return (
    <div class="dashboard">
      {overview.services.map((service) => (
        <article key={service.name} class="card" data-service={service.name}>
          <h3>
            <a href={routeHref([service.name])}>{service.title}</a>{" "}
            <span
              class={service.healthy ? "dot on" : "dot"}
              title={service.healthy ? "healthy" : "problem"}
            />
          </h3>
          <p class="muted" data-field="summary">{service.summary}</p>
          {overview.headlines.filter((h) =>
            h.service === service.name
          ).map((headline) => (
            <div key={headline.id} class="headline" data-headline={headline.id}>
              <span class="number" data-field="value">{headline.value}</span>
              <span>
                {headline.title} <small class="muted">{headline.window}</small>
              </span>
              <SparkChart
                values={headline.history.map((point) => point.value)}
                label={`${headline.title}, last hour`}
              />
            </div>
          ))}
        </article>
      ))}
    </div>
  );
}

/** The node overview: the services' dashboard, what runs here (metadata) and the live log of this process. */
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
      <Dashboard />
      <h3>This process</h3>
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
