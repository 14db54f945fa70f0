import {
  BofiedService,
  type GetBootInfoResponse,
  type GetBootSettingsResponse,
} from "../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { client } from "../client.ts";
import { usePolled } from "../polled.ts";

/** Where bofied serves a path of its boot tree: over HTTP, and over TFTP while TFTP is on. */
export interface BootLinks {
  http(path: string): string;
  /** Undefined while TFTP is off. */
  tftp(path: string): string | undefined;
}

/**
 * The host booting machines reach TFTP at: the boot address in force, else the address TFTP listens on,
 * else (listening on every address) the host this page came from.
 */
export function tftpHostOf(info: GetBootInfoResponse, settings: GetBootSettingsResponse): string {
  return settings.effectiveBootAddress ||
    (info.tftpAddress && info.tftpAddress !== "0.0.0.0" ? info.tftpAddress : location.hostname);
}

export function bootLinksOf(info: GetBootInfoResponse, settings: GetBootSettingsResponse): BootLinks {
  const port = settings.tftpPort || info.tftpPort;
  const host = tftpHostOf(info, settings);
  const rooted = (path: string) => `/${path.replace(/^\/+/, "")}`;
  return {
    http: (path) => `${info.httpBootUrl.replace(/\/+$/, "")}${rooted(path)}`,
    tftp: (path) => port ? `tftp://${host}:${port}${rooted(path)}` : undefined,
  };
}

/** bofied's links, for pages of other services that publish into its tree; null until known. */
export function useBootLinks(bofiedHosted: boolean): BootLinks | null {
  return usePolled(
    async () => {
      if (!bofiedHosted) return null;
      const bofied = client(BofiedService);
      const [info, settings] = await Promise.all([bofied.getBootInfo({}), bofied.getBootSettings({})]);
      return bootLinksOf(info, settings);
    },
    30_000,
    [bofiedHosted],
  );
}
