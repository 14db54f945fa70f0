// core/deploy/cli: what the deployer commands (gloethdeployer, k3sdeployer) share on a workstation. A
// deployer is a definition (its name, one-line summary, its own flags, --help lines about its inventory,
// and a run function); runDeployer does the rest the same way for each:
//
//   Deno.exit(await runDeployer({
//     name: "k3sdeployer",
//     summary: "installs k3s on the hosts of an inventory over SSH",
//     flags: { ...limitFlag(), token: stringFlag({ … }) },
//     about: ["The inventory: { … }", "Example: k3sdeployer --plan cluster.json"],
//     async run({ options, inventory, knownHosts, printer }) {
//       const parsed = parseK3sInventory(inventory);           // FieldErrors → exit 1, every field named
//       const hosts = limitHosts(parsed.hosts, options.limit); // an unknown name → exit 1
//       printer.hosts(hosts.map((host) => host.name));         // aligns the live prefixes
//       const outcomes = await runOnHosts(specs, task, {
//         knownHosts, plan: options.plan, concurrency: options.concurrency,
//         hostTimeoutMs: options.hostTimeout * 1000, onLog: printer.onLog,
//       });
//       return { plan: options.plan, changed: …, hosts: outcomes.map(summarizeOutcome), details: { … } };
//     },
//   }));
//
// Shared flags (flags.ts): <inventory.json> or --inventory, --plan, --known-hosts (default
// $XDG_CONFIG_HOME/ctpf/known_hosts, made 0600), --ssh-config (default ~/.ssh/config when it exists;
// fills each host's `ssh` from its Host block: ssh_config_input.ts), --concurrency, --host-timeout
// (seconds), --json, --quiet, --verbose; each also CTPF_<NAME>_<FLAG> or a --config file. limitFlag() adds
// --limit for deployers whose hosts can be worked on alone. Live lines: "<host> | <line>" as they happen
// (stderr with --json). The end: a summary per host (ok / changed / failed with the error's kind and
// message), or with --json one object { command, version, inventory, plan, ok, changed, hosts, ...details }.
// Exit status (exit_codes.ts): 0 every host finished, 2 some host failed, 1 nothing tried (flags,
// inventory, release or controller errors, printed as one message; inventory FieldErrors one per line).
export {
  type DeployerContext,
  type DeployerDefinition,
  deployerHelp,
  type DeployReport,
  runDeployer,
  UsageError,
} from "./command.ts";
export { ExitCode, type ExitCodeValue } from "./exit_codes.ts";
export { deployerFlags, type DeployerFlagValues, limitFlag } from "./flags.ts";
export { limitHosts } from "./limit.ts";
export { consoleOutput, type LiveOptions, LivePrinter, type Output } from "./output.ts";
export {
  ctpfCacheDir,
  ctpfConfigDir,
  ctpfDataDir,
  defaultKnownHostsPath,
  defaultSshConfigPath,
  prepareKnownHostsFile,
} from "./paths.ts";
export { applySshConfig } from "./ssh_config_input.ts";
export { formatSummary, type HostStatus, type HostSummary, markFailed, summarizeOutcome } from "./summary.ts";
