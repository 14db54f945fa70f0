import type { ConnectRouter } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { DurationSchema, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { hostname } from "node:os";
import { GetMetadataResponseSchema, MetadataService } from "../gen/ctpf/v1/metadata_pb.ts";
import { VERSION } from "../../version.ts";
import { knownServices, type ServiceModule } from "../module.ts";

export interface MetadataOptions {
  binary: string;
  startedAt: Date;
  hosted: ServiceModule[];
  /** Commit baked in at build time (CTPF_COMMIT), if any. */
  commit?: string;
}

export function registerMetadataService(router: ConnectRouter, options: MetadataOptions): void {
  const hostedNames = new Set(options.hosted.map((module) => module.name));
  const services = [
    ...options.hosted.map((module) => ({ name: module.name, title: module.title, hosted: true })),
    ...knownServices.filter((known) => !hostedNames.has(known.name)).map((known) => ({
      ...known,
      hosted: false,
    })),
  ];
  router.service(MetadataService, {
    getMetadata() {
      const uptimeMs = Date.now() - options.startedAt.getTime();
      return create(GetMetadataResponseSchema, {
        binary: options.binary,
        version: VERSION,
        hostname: hostname(),
        startedAt: timestampFromDate(options.startedAt),
        uptime: create(DurationSchema, {
          seconds: BigInt(Math.floor(uptimeMs / 1000)),
          nanos: (uptimeMs % 1000) * 1_000_000,
        }),
        build: {
          deno: Deno.version.deno,
          v8: Deno.version.v8,
          typescript: Deno.version.typescript,
          target: Deno.build.target,
          commit: options.commit ?? "",
        },
        services,
      });
    },
  });
}
