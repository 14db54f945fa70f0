// The all-in-one binary with the deployers pointed at a release folder (and a gloeth command, a proxy),
// Connect clients of it carrying a token, and nodes put into its nodin inventory through nodin's API.
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { gzipSync } from "node:zlib";
import { NodinService } from "../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { writeTar } from "../../../core/archive/tar.ts";
import { sha256Hex } from "../../../core/deploy/ssh/connection.ts";
import { type RunningBinary, startBinary } from "../../support/ctpf_process.ts";

export interface DeployersFlags {
  releaseDir: string;
  gloethCommand?: string[];
  proxyCommand?: string;
  hostTimeoutSeconds?: number;
  k3sAirgapDir?: string;
}

export function deployersArgs(flags: DeployersFlags): string[] {
  return [
    "--tftp-listen",
    "127.0.0.1:0",
    "--deployers-release-dir",
    flags.releaseDir,
    ...(flags.gloethCommand ? ["--deployers-gloeth-command", flags.gloethCommand.join(" ")] : []),
    ...(flags.proxyCommand ? ["--deployers-ssh-proxy-command", flags.proxyCommand] : []),
    ...(flags.hostTimeoutSeconds
      ? ["--deployers-host-timeout-seconds", String(flags.hostTimeoutSeconds)]
      : []),
    ...(flags.k3sAirgapDir ? ["--deployers-k3s-airgap-dir", flags.k3sAirgapDir] : []),
  ];
}

/** The all-in-one with the deployers' flags; `dataDir` set: a restart on the same data. */
export function startCtpfWithDeployers(flags: DeployersFlags, dataDir?: string): Promise<RunningBinary> {
  return startBinary({ args: deployersArgs(flags), dataDir });
}

/** A client of `service` on `ctpf` calling with `token` ("" for none). */
export function clientOf<S extends DescService>(ctpf: RunningBinary, service: S, token: string): Client<S> {
  return createClient(
    service,
    createConnectTransport({
      baseUrl: ctpf.url,
      interceptors: token
        ? [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))]
        : [],
    }),
  );
}

/** Adds a node to the inventory (as an operator would through nodin's API) and returns its id. */
export async function addNode(
  ctpf: RunningBinary,
  node: { name: string; labels: Record<string, string>; addresses: string[]; architecture?: string },
): Promise<string> {
  const nodin = clientOf(ctpf, NodinService, ctpf.adminToken);
  const created = await nodin.createNode({
    node: { ...node, architecture: node.architecture ?? "", provider: "lab" },
  });
  return created.node!.id;
}

/**
 * A release folder of the release's shape holding one gloeth archive with only its unit: enough for the
 * service to offer gloeth and plan, not to install (hosts_test.ts builds the real release).
 */
export async function writeUnitOnlyRelease(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const file = "gloeth-0.1.0-linux-x86_64.tar.gz";
  const archive = gzipSync(writeTar([{
    name: "gloeth-0.1.0-linux-x86_64/gloeth.service",
    type: "file",
    content: new TextEncoder().encode("[Service]\nExecStart=/opt/ctpf/gloeth/bin/gloeth\n"),
  }]));
  await Deno.writeFile(`${dir}/${file}`, archive);
  await Deno.writeTextFile(`${dir}/SHA256SUMS`, `${sha256Hex(new Uint8Array(archive))}  ${file}\n`);
}

/** A loopback port nothing listens on (just closed). */
export function freeLoopbackPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
