import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Level, levelAtLeast, type LogSink } from "../../log/logger.ts";
import { HubFullError } from "../../stream/hub.ts";
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
    async *tailLogs(request, context) {
      const minimum = fromProto[request.minLevel] ?? "info";
      let records;
      try {
        records = sink.hub.subscribe(request.history, context.signal, (r) => levelAtLeast(r.level, minimum));
      } catch (error) {
        if (error instanceof HubFullError) throw new ConnectError(error.message, Code.ResourceExhausted);
        throw error;
      }
      for await (const record of records) {
        yield {
          record: {
            time: timestampFromDate(record.time),
            level: toProto[record.level],
            component: record.component,
            message: record.message,
            fields: record.fields,
            seq: BigInt(record.seq),
          },
        };
      }
    },
  });
}
