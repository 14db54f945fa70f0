import { dirname, join, resolve } from "node:path";
import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { integerFlag, stringFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import { KnownHosts } from "../deploy/ssh/known_hosts.ts";
import { InputError } from "../errors/input_error.ts";
import { installedLauncher } from "../../scripts/release/layout.ts";
import { registerDeployersApi } from "./api.ts";
import { Deployers } from "./deployers.ts";
import { gloethDeployer } from "./gloeth_deployer.ts";
import { k3sDeployer } from "./k3s_deployer.ts";
import type { TargetSource } from "./model.ts";
import { ReleaseCache } from "./release_cache.ts";
import { ensureServiceKey } from "./ssh_key.ts";
import { SqliteDeploymentRepository } from "./store_sqlite.ts";
import { pathExistsSync } from "../runtime/path_exists.ts";

/** The deployers' flags, shared by the all-in-one (and a deployers binary, when there is one). */
export const deployersFlags = {
  deployersReleaseDir: stringFlag({
    name: "deployers-release-dir",
    description: "the folder `deno task release` made (SHA256SUMS and the gloeth archives) that hosts get",
    default: "",
    defaultText: "dist/release beside the program's folder (the source tree's, or the installed archive's)",
    allowEmpty: true,
  }),
  deployersGloethCommand: stringFlag({
    name: "deployers-gloeth-command",
    description: "the gloeth command run here to make the mesh's network and node certificates (words " +
      "separated by spaces)",
    default: "",
    defaultText: `cmd/gloeth.ts beside the program in a source tree, else ${installedLauncher("gloeth")}, ` +
      "else gloeth from PATH",
    allowEmpty: true,
  }),
  deployersK3sAirgapDir: stringFlag({
    name: "deployers-k3s-airgap-dir",
    description: "a folder with your k3s artifacts (k3s, k3s-arm64, k3s-airgap-images-amd64.tar.zst, " +
      "k3s-airgap-images-arm64.tar.zst; .tar or .tar.gz too): k3s deployments install these, nothing is " +
      "downloaded",
    default: "",
    defaultText: "none: each k3s deployment names a version, downloaded from the k3s releases",
    allowEmpty: true,
  }),
  deployersOverlayNetwork: stringFlag({
    name: "deployers-overlay-network",
    description: "the gloeth overlay network of a deployment that names none (k3s: the one its nodes are on)",
    default: "10.200.0.0/24",
  }),
  deployersSshUser: stringFlag({
    name: "deployers-ssh-user",
    description: "the SSH login on a node without the SSH user label",
    default: "root",
  }),
  deployersSshUserLabel: stringFlag({
    name: "deployers-ssh-user-label",
    description: "the node label naming its SSH login",
    default: "ctpf.io/ssh-user",
  }),
  deployersSshProxyCommand: stringFlag({
    name: "deployers-ssh-proxy-command",
    description: "reach every host through this command's stdin/stdout, as ssh's ProxyCommand (%h, %p, %r)",
    default: "",
    defaultText: "none: connect directly",
    allowEmpty: true,
  }),
  deployersHostTimeoutSeconds: integerFlag({
    name: "deployers-host-timeout-seconds",
    description: "the longest one host's part of a deployment may take (connecting included)",
    default: 600,
    min: 10,
    max: 86_400,
  }),
  deployersConcurrency: integerFlag({
    name: "deployers-concurrency",
    description: "hosts worked on at once",
    default: 8,
    min: 1,
    max: 256,
  }),
};

/** Where the program runs from: cmd/ in a source tree, lib/ in an unpacked release archive. */
function programDir(): string | undefined {
  return Deno.mainModule.startsWith("file:")
    ? dirname(decodeURIComponent(new URL(Deno.mainModule).pathname))
    : undefined;
}

function defaultReleaseDir(): string {
  const dir = programDir();
  return dir ? join(dir, "..", "dist", "release") : resolve("dist/release");
}

function defaultGloethCommand(): string[] {
  const dir = programDir();
  const source = dir && join(dir, "gloeth.ts");
  if (source && pathExistsSync(source)) return [Deno.execPath(), "run", "--allow-all", source];
  if (pathExistsSync(installedLauncher("gloeth"))) return [installedLauncher("gloeth")];
  return ["gloeth"];
}

/**
 * `targets` is where nodes come from: nodin in process in the all-in-one (cmd/deployers_targets.ts).
 * The service never reads nodin's folder.
 */
export function deployersModule(
  context: ServiceContext<FlagValues<typeof deployersFlags>>,
  targets: TargetSource,
): ServiceModule & { deployers: Deployers } {
  const flags = context.flags;
  const dataDir = resolve(context.dataDir, "deployers");
  const key = ensureServiceKey(join(dataDir, "ssh"));
  const knownHosts = new KnownHosts(join(dataDir, "ssh", "known_hosts"));
  const repository = new SqliteDeploymentRepository(context.store);
  const release = new ReleaseCache(flags.deployersReleaseDir || defaultReleaseDir());
  const gloethCommand = flags.deployersGloethCommand.trim()
    ? flags.deployersGloethCommand.trim().split(/\s+/)
    : defaultGloethCommand();
  const targetSettings = {
    sshUserLabel: flags.deployersSshUserLabel,
    defaultSshUser: flags.deployersSshUser,
  };
  const deployers = new Deployers({
    log: context.logger("deployers"),
    metrics: context.metrics,
    repository,
    hostNames: repository,
    knownHosts,
    targets,
    targetSettings,
    deployers: [
      gloethDeployer({
        release,
        gloethCommand,
        stateRoot: join(dataDir, "gloeth"),
        defaultOverlayNetwork: flags.deployersOverlayNetwork,
        addresses: repository,
        concurrency: flags.deployersConcurrency,
        hostTimeoutMs: flags.deployersHostTimeoutSeconds * 1000,
        meshTimeoutSeconds: 40,
      }),
      k3sDeployer({
        stateRoot: join(dataDir, "k3s"),
        defaultOverlayNetwork: flags.deployersOverlayNetwork,
        addresses: repository,
        airgapDir: flags.deployersK3sAirgapDir && resolve(flags.deployersK3sAirgapDir),
        concurrency: flags.deployersConcurrency,
        hostTimeoutMs: flags.deployersHostTimeoutSeconds * 1000,
      }),
    ],
    hostSpec: (target) => ({
      name: target.hostName,
      address: target.address,
      port: target.port,
      user: target.sshUser,
      identityFiles: [key.privateKeyFile],
      agent: false,
      proxyCommand: flags.deployersSshProxyCommand || undefined,
      connectTimeoutMs: 15_000,
    }),
  });
  return {
    name: "deployers",
    title: "Deploy",
    deployers,
    registerRpc: (router) =>
      registerDeployersApi(router, deployers, {
        publicKey: key.publicKey,
        fingerprint: key.fingerprint,
        knownHosts: () => knownHosts.list(),
        forgetHostKey(host) {
          if (!/^[A-Za-z0-9.:_\[\]-]{1,260}$/.test(host)) {
            throw new InputError("host", "a host as known_hosts names it: address or [address]:port");
          }
          const removed = knownHosts.forget(host);
          context.logger("deployers").info("host key forgotten", { host, removed });
          return removed;
        },
        defaultSshUser: flags.deployersSshUser,
        sshUserLabel: flags.deployersSshUserLabel,
        defaultOverlayNetwork: flags.deployersOverlayNetwork,
        async release() {
          try {
            const read = await release.read();
            return { version: read.version, architectures: Object.keys(read.archives), error: "" };
          } catch (error) {
            return { version: "", architectures: [], error: (error as Error).message };
          }
        },
      }),
    start() {
      deployers.start();
      return Promise.resolve();
    },
    stop: () => deployers.stop(),
    headlines: [{
      id: "deployers.deployments",
      title: "Deployments run",
      kind: "counter",
      read: () => deployers.deploymentsRun,
    }],
    status() {
      const running = deployers.list().filter((d) => d.state === "running" || d.state === "queued").length;
      return { healthy: true, summary: `${running} deployments running or queued` };
    },
  };
}
