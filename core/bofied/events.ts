import { Hub } from "../stream/hub.ts";

export interface BootEvent {
  time: Date;
  kind: "tftp" | "http" | "pxe" | "rules-loaded" | "rules-error" | "file" | "settings";
  message: string;
  fields: Record<string, string>;
}

/** bofied's event history (for SubscribeToEvents replay) and live feed. */
export function createBootEvents(): Hub<BootEvent> {
  return new Hub<BootEvent>({ historySize: 500, subscriberQueue: 1000 });
}
