import { LiwascService, ScanKind, ScanState, WakeState } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { client } from "../../client.ts";
import { routeHref } from "../../route.ts";

// What every liwasc view shares: the client, the names of states, and the views' links.

export const liwascApi = () => client(LiwascService);

export const scanStateNames: Record<number, string> = {
  [ScanState.RUNNING]: "running",
  [ScanState.DONE]: "done",
  [ScanState.CANCELLED]: "cancelled",
  [ScanState.FAILED]: "failed",
};

export const scanKindNames: Record<number, string> = { [ScanKind.NODE]: "node", [ScanKind.PORT]: "port" };

export const wakeStateNames: Record<number, string> = {
  [WakeState.SENT]: "sent",
  [WakeState.WAITING]: "waiting",
  [WakeState.AWAKE]: "awake",
  [WakeState.TIMED_OUT]: "timed out",
  [WakeState.CANCELLED]: "cancelled",
  [WakeState.FAILED]: "failed",
};

export const nodeHref = (mac: string) => routeHref(["liwasc", "nodes", mac]);

export { errorText, formatDuration, formatTime, msOf } from "../../format.ts";

/** Dotted addresses in numeric order (10.0.0.9 before 10.0.0.10); none last. */
export function addressOrder(ip: string | undefined): number {
  const parts = (ip ?? "").split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p))) return 2 ** 32;
  return parts.reduce((n, p) => n * 256 + p, 0);
}
