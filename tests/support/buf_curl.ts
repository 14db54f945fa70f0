// `buf curl` command lines against a running CTPF binary (the real CLI users have), with the schema from
// the source tree since the servers offer no reflection.
import type { RunningBinary } from "./ctpf_process.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The command line calling `service`/`method` (e.g. "LiwascService", "StartNodeScan") as the admin. */
export function bufCurlCommand(
  binary: RunningBinary,
  service: string,
  method: string,
  body?: unknown,
): string[] {
  return [
    `${root}node_modules/.bin/buf`,
    "curl",
    "--schema",
    `${root}core/api/proto`,
    "-H",
    `Authorization: Bearer ${binary.adminToken}`,
    ...(body === undefined ? [] : ["-d", JSON.stringify(body)]),
    `${binary.url}/ctpf.v1.${service}/${method}`,
  ];
}
