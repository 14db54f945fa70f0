import { type InventoryNode, NodinService } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { client } from "../../client.ts";
import { routeHref } from "../../route.ts";

// What every nodin view shares: the client, times, labels as text, and the views' links.

export const nodinApi = () => client(NodinService);

export const nodeHref = (id: string) => routeHref(["nodin", "nodes", id]);

export { errorText, formatTime, msOf } from "../../format.ts";

/** "rack=a, role=worker" (a bare key has an empty value). */
export function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => v ? `${k}=${v}` : k).join(", ");
}

/** The inverse of labelsText; the server judges the keys and values. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf("=");
    if (at < 0) labels[part] = "";
    else labels[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return labels;
}

export const splitList = (text: string) => text.split(",").map((p) => p.trim()).filter(Boolean);

/** "on", "off (wants on)": the observed power, and the wish when it differs. */
export function powerText(node: InventoryNode): string {
  const seen = node.observedPower?.state ?? "unknown";
  const wanted = node.desiredPower?.state ?? "";
  return wanted && wanted !== seen ? `${seen} (wants ${wanted})` : seen;
}
