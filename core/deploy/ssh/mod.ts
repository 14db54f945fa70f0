// core/deploy/ssh: the deployers' SSH executor (connect, verify host keys, run steps on many hosts).
//
// A deployer describes its hosts (HostSpec: address, user, keys or the agent, a jump host; or
// SshConfig.resolve(alias) from an ~/.ssh/config-style file) and hands runOnHosts a task:
//
//   const knownHosts = new KnownHosts(join(dataDir, "known_hosts"));
//   const outcomes = await runOnHosts(hosts, async (target) => {
//     const artifact = artifacts[target.facts.arch]; // "x86_64" | "aarch64"
//     await ensureFile(target, "/usr/local/bin/gloeth", artifact, { mode: 0o755 });
//     await ensureUnit(target, "gloeth.service", unitText);
//   }, { knownHosts, plan, concurrency: 8, onLog: (host, line) => live(host, line) });
//
// Each outcome says ok or not, with an SshError (kind: unreachable, timeout, auth, host-key, protocol,
// command, transfer, unsupported) naming the host, the steps (changed or unchanged, and why), the facts
// and the host's log. A host without systemd is refused before the task runs; with `plan` the steps only
// look and report. Secrets: pass them as content or stdin, never in a command line (commands are logged;
// `quiet` keeps one out of the log).
export { type Credentials, credentialsFor } from "./auth.ts";
export { connect, type ConnectOptions } from "./connect.ts";
export {
  type ExecOptions,
  type ExecResult,
  sha256Hex,
  SshConnection,
  type UploadOptions,
} from "./connection.ts";
export { messageOf, SshError, type SshErrorKind } from "./errors.ts";
export { type Architecture, architectureOf, gatherFacts, type HostFacts, requireSystemd } from "./facts.ts";
export { fingerprintOf, keyTypeOf } from "./fingerprint.ts";
export { type HostSpec, parseDestination } from "./host.ts";
export { type HostOutcome, type RunHostsOptions, runOnHosts } from "./run_hosts.ts";
export { KnownHosts, knownHostsLabel } from "./known_hosts.ts";
export { shellCommand, shellQuote } from "./shell.ts";
export { SshConfig } from "./ssh_config.ts";
export { ensureFile, ensureUnit, type FileOptions, run, type RunOptions, type UnitOptions } from "./steps.ts";
export { type StepResult, Target } from "./target.ts";
