import { join } from "node:path";
import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { stringFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import { registerBuildersApi } from "./api.ts";
import { ArtifactStore } from "./artifact_store.ts";
import { Builders } from "./builders.ts";
import { DockerEngine } from "./docker/engine.ts";
import { mountArtifactDownloads } from "./http.ts";
import { shippedKinds } from "./kinds/mod.ts";
import type { ArtifactPublisher } from "./model.ts";
import { SqliteBuildRepository } from "./store_sqlite.ts";

/** The builders' flags, shared by the all-in-one (and a builders binary, when there is one). */
export const buildersFlags = {
  buildersDockerSocket: stringFlag({
    name: "builders-docker-socket",
    description: "the Docker daemon's API socket builds run on (BuildKit, Engine API 1.41)",
    default: "/var/run/docker.sock",
  }),
  buildersDebianMirror: stringFlag({
    name: "builders-debian-mirror",
    description: "the Debian mirror debootstrap makes base images from",
    default: "http://deb.debian.org/debian",
  }),
  buildersBaseImageCache: stringFlag({
    name: "builders-base-image-cache",
    description: "where base image tarballs are kept (default: <data-dir>/builders/base-images)",
    default: "",
    allowEmpty: true,
  }),
};

/** `publisher` puts artifacts where machines boot from: bofied's boot tree in the all-in-one. */
export function buildersModule(
  context: ServiceContext<FlagValues<typeof buildersFlags>>,
  publisher?: ArtifactPublisher,
): ServiceModule & { builders: Builders } {
  const dataDir = join(context.dataDir, "builders");
  const engine = new DockerEngine(context.flags.buildersDockerSocket);
  const artifacts = new ArtifactStore(join(dataDir, "artifacts"));
  const builders = new Builders({
    log: context.logger("builders"),
    engine,
    kinds: shippedKinds,
    baseImageOptions: {
      cacheDir: context.flags.buildersBaseImageCache || join(dataDir, "base-images"),
      mirror: context.flags.buildersDebianMirror,
    },
    repository: new SqliteBuildRepository(context.store),
    artifacts,
    publisher,
    metrics: context.metrics,
  });
  let daemonUp = false;
  return {
    name: "builders",
    title: "Builders",
    builders,
    registerRpc: (router) => registerBuildersApi(router, builders),
    mountHttp: (app) =>
      mountArtifactDownloads(app, {
        artifacts,
        auth: context.auth,
        anonymousRead: context.flags.anonymousRead,
      }),
    async start() {
      await builders.start();
      daemonUp = await engine.ping();
      if (!daemonUp) {
        context.logger("builders").warn("docker daemon not answering: builds fail until it does", {
          socket: context.flags.buildersDockerSocket,
        });
      }
    },
    async stop() {
      await builders.stop();
      engine.close();
    },
    headlines: [{
      id: "builders.builds",
      title: "Builds run",
      kind: "counter",
      read: () => builders.buildsRun,
    }],
    status() {
      // Sampled for the next look: status() answers at once from what the last ping saw.
      engine.ping().then((up) => daemonUp = up);
      const running = builders.list().filter((b) => b.state === "running" || b.state === "queued").length;
      return {
        healthy: daemonUp,
        summary: daemonUp
          ? `${running} builds running or queued`
          : `Docker daemon not answering at ${context.flags.buildersDockerSocket}`,
      };
    },
  };
}
