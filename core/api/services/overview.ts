import type { ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { HeadlineHistory } from "../../metrics/headline_history.ts";
import { OverviewService } from "../gen/ctpf/v1/overview_pb.ts";
import type { ServiceModule } from "../module.ts";

export function registerOverviewService(
  router: ConnectRouter,
  hosted: ServiceModule[],
  history: HeadlineHistory,
): void {
  router.service(OverviewService, {
    getOverview() {
      return {
        sampleSeconds: history.sampleSeconds,
        services: hosted.map((module) => ({
          name: module.name,
          title: module.title,
          ...statusOf(module),
        })),
        headlines: history.series().map((series) => ({
          ...series,
          history: series.history.map((point) => ({
            time: timestampFromDate(point.time),
            value: point.value,
          })),
        })),
      };
    },
  });
}

function statusOf(module: ServiceModule): { healthy: boolean; summary: string } {
  try {
    return module.status?.() ?? { healthy: true, summary: "running" };
  } catch (error) {
    return { healthy: false, summary: `status unavailable: ${(error as Error).message}` };
  }
}
