import { snapshotThenChanges, type Subscribable } from "../stream/snapshot_then_changes.ts";
import type { Sighting, SightingFeed } from "./sightings.ts";

/**
 * A feed over a service's hub in the same process: its current state, then every change, each item made
 * into a sighting (or skipped). The all-in-one builds one per service it hosts.
 */
export function hubFeed<Item>(options: {
  source: string;
  changes: Subscribable<Item>;
  snapshot?: () => Iterable<Item>;
  /** Past items the hub still holds, sent before live ones (bofied's event history). */
  replay?: number;
  toSighting: (item: Item) => Sighting | undefined;
}): SightingFeed {
  return {
    source: options.source,
    async follow(signal, sight) {
      const items = snapshotThenChanges({
        changes: options.changes,
        signal,
        snapshot: options.snapshot,
        replay: options.replay,
        toMessage: (item: Item) => item,
      });
      for await (const item of items) {
        const sighting = options.toSighting(item);
        if (sighting) sight(sighting);
      }
    },
  };
}
