import type { Hono } from "hono";
import { requireAccess } from "../api/http_auth.ts";
import type { Authenticator } from "../auth/authenticator.ts";
import { artifactDownloadPath } from "./api.ts";
import type { ArtifactStore } from "./artifact_store.ts";

/**
 * Serves stored artifacts by their SHA-256 at `artifactDownloadPath`, to whoever may read. The name is the
 * content's hash, so a response never goes stale and caches may keep it for good.
 */
export function mountArtifactDownloads(
  app: Hono,
  options: { artifacts: ArtifactStore; auth: Authenticator; anonymousRead: boolean },
): void {
  app.get(
    artifactDownloadPath(":sha256"),
    requireAccess(options.auth, "read", options.anonymousRead),
    async (c) => {
      const path = options.artifacts.path(c.req.param("sha256") ?? "");
      const file = path ? await Deno.open(path).catch(() => undefined) : undefined;
      if (!file) return c.text("no such artifact\n", 404);
      const { size } = await file.stat();
      return new Response(file.readable, {
        headers: {
          "content-type": "application/octet-stream",
          "content-length": String(size),
          "cache-control": "public, max-age=31536000, immutable",
        },
      });
    },
  );
}
