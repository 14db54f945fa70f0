import type { ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Level, levelAtLeast, type LogSink } from "../../log/logger.ts";
import { snapshotThenChanges } from "../../stream/snapshot_then_changes.ts";
import { LogLevel, LogService } from "../gen/ctpf/v1/log_pb.ts";

const toProto: Record<Level, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};
const fromProto: Record<number, Level> = {
  [LogLevel.DEBUG]: "debug",
  [LogLevel.INFO]: "info",
  [LogLevel.WARN]: "warn",
  [LogLevel.ERROR]: "error",
};

export function registerLogService(router: ConnectRouter, sink: LogSink): void {
  router.service(LogService, {
    tailLogs(request, context) {
      const minimum = fromProto[request.minLevel] ?? "info";
      return snapshotThenChanges({
        changes: sink.hub,
        signal: context.signal,
        replay: request.history,
        filter: (record) => levelAtLeast(record.level, minimum),
        toMessage: (record) => ({
          record: {
            time: timestampFromDate(record.time),
            level: toProto[record.level],
            component: record.component,
            message: record.message,
            fields: record.fields,
            seq: BigInt(record.seq),
          },
        }),
      });
    },
  });
}
