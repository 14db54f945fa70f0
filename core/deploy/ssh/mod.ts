// core/deploy/ssh: the deployers' SSH executor (connect, verify host keys, run steps on many hosts).
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
