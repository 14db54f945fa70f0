import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { type Build, BuildService, BuildState } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import { client } from "../../client.ts";
import { msOf } from "../../format.ts";
import { routeHref } from "../../route.ts";

// What every builders view shares: the client, state names, the views' links and build summaries.

export const buildersApi = () => client(BuildService);

export const stateNames: Record<number, string> = {
  [BuildState.QUEUED]: "queued",
  [BuildState.RUNNING]: "running",
  [BuildState.SUCCEEDED]: "succeeded",
  [BuildState.FAILED]: "failed",
  [BuildState.CANCELLED]: "cancelled",
};

export const isFinished = (build: Build) =>
  [BuildState.SUCCEEDED, BuildState.FAILED, BuildState.CANCELLED].includes(build.state);

export const buildHref = (id: string) => routeHref(["builders", "builds", id]);
export const rebuildHref = (id: string) => routeHref(["builders", "builds", id, "rebuild"]);
export const newBuildHref = (kind?: string) => routeHref(["builders", "new"], kind ? { kind } : {});

const valueText = (value: JsonValue) => Array.isArray(value) ? value.join(" + ") : String(value);

/** "name=lab, targets=ipxe.efi + undionly.kpxe": a build's parameters on one line. */
export function parametersText(parameters: JsonObject | undefined): string {
  return Object.entries(parameters ?? {}).map(([name, value]) => `${name}=${valueText(value)}`).join(", ");
}

/** How long the build ran, or has run so far (0 before it started). */
export function durationMs(build: Build, now: number): number {
  if (!build.started) return 0;
  return (build.finished ? msOf(build.finished) : now) - msOf(build.started);
}

/** "3 of 4 steps cached", "" before any step ran; BuildKit's bookkeeping ("[internal] …") not counted. */
export function cacheText(build: Build): string {
  const total = build.steps.filter((step) => !step.name.startsWith("[internal]")).length;
  return total ? `${build.cachedSteps} of ${total} steps cached` : "";
}
