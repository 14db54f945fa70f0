// The all-in-one's artifact publisher: bofied's boot tree, adapted here so that the builders' folder
// never imports bofied's. A published build is bootable at once (TFTP and HTTP serve the same tree).
import type { Bofied } from "../core/bofied/bofied.ts";
import type { ArtifactPublisher } from "../core/builders/model.ts";

export function bofiedPublisher(bofied: Bofied): ArtifactPublisher {
  return {
    async publish(path, content) {
      await bofied.files.boot.write(path, content, true);
    },
    async unpublish(path) {
      try {
        await bofied.files.boot.delete(path, false);
      } catch (error) {
        // Removed by hand already: nothing left to unpublish.
        if ((error as { code?: string }).code !== "not-found") throw error;
      }
    },
  };
}
