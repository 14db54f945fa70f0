// A deployer's whole command line life: --help and --version, the flags (shared and its own), the
// inventory file read (and completed from ssh_config), the known-hosts file made, the deployer's run, then
// the summary or the JSON result and the exit status (exit_codes.ts). Errors before any host is tried
// (flags, inventory, release) print one clear message and exit 1; per-host failures are in the summary.
import { ConfigError, type FlagSet, mergeFlags } from "../../config/flags.ts";
import { type FlagValues, helpText, loadConfig } from "../../config/load.ts";
import { FieldErrors } from "../../errors/field_errors.ts";
import { InputError } from "../../errors/input_error.ts";
import { VERSION } from "../../version.ts";
import { readInventoryObject } from "../inventory_file.ts";
import { KnownHosts } from "../ssh/known_hosts.ts";
import { SshConfig } from "../ssh/ssh_config.ts";
import { ExitCode } from "./exit_codes.ts";
import { deployerFlags, type DeployerFlagValues } from "./flags.ts";
import { consoleOutput, LivePrinter, type Output } from "./output.ts";
import { prepareKnownHostsFile } from "./paths.ts";
import { applySshConfig } from "./ssh_config_input.ts";
import { formatSummary, type HostSummary } from "./summary.ts";

type Env = Record<string, string>;

export interface DeployerContext<F extends FlagSet> {
  /** Every flag's value: the shared ones (DeployerFlagValues) and the deployer's own. */
  options: FlagValues<F> & DeployerFlagValues;
  inventoryPath: string;
  knownHosts: KnownHosts;
  /** The inventory file as read, each host's `ssh` completed from ssh_config; the deployer parses it. */
  inventory: Record<string, unknown>;
  printer: LivePrinter;
  env: Env;
}

export interface DeployReport {
  plan: boolean;
  /** Something changed (in a plan: would). */
  changed: boolean;
  hosts: HostSummary[];
  /** Whatever else the deployer reports in --json (e.g. the controller's steps, the mesh check). */
  details?: Record<string, unknown>;
}

export interface DeployerDefinition<F extends FlagSet> {
  /** The command's name, as in `gloethdeployer`. */
  name: string;
  /** One line: --help starts with "<name> — <summary>" (the release reads it). */
  summary: string;
  /** The deployer's own flags, beside deployerFlags(). */
  flags: F;
  /** --help lines between the usage line and the flags: the inventory's shape, an example. */
  about: string[];
  run(context: DeployerContext<F>): Promise<DeployReport>;
}

/** A mistake in how the command was called or in its inputs: printed as is, exit 1. */
export class UsageError extends Error {
  override name = "UsageError";
}

function usageLines(name: string, error: unknown, inventoryPath?: string): string[] {
  if (error instanceof FieldErrors) {
    return [
      `${name}: the inventory${inventoryPath ? ` ${inventoryPath}` : ""} has errors:`,
      ...error.errors.map((field) => `  ${field.field}: ${field.message}`),
    ];
  }
  if (error instanceof ConfigError) return [`${name}: ${error.message} (see --help)`];
  return [`${name}: ${error instanceof Error ? error.message : String(error)}`];
}

export function deployerHelp(definition: DeployerDefinition<FlagSet>, flags: FlagSet): string {
  const lines = helpText(definition.name, definition.summary, flags).split("\n");
  const usage = lines.findIndex((line) => line.startsWith("Usage: "));
  lines.splice(usage, 1, `Usage: ${definition.name} [flags] <inventory.json>`, "", ...definition.about);
  return lines.join("\n");
}

/** Runs the deployer with `args`; returns the exit status. */
export async function runDeployer<F extends FlagSet>(
  definition: DeployerDefinition<F>,
  args: string[] = Deno.args,
  env: Env = Deno.env.toObject(),
  output: Output = consoleOutput,
): Promise<number> {
  const shared = deployerFlags(env);
  const flags = mergeFlags(definition.flags as FlagSet, shared) as FlagSet;
  if (args.includes("--help") || args.includes("-h")) {
    output.out(deployerHelp(definition as unknown as DeployerDefinition<FlagSet>, flags));
    return ExitCode.ok;
  }
  if (args.includes("--version")) {
    output.out(`${definition.name} ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})`);
    return ExitCode.ok;
  }
  let inventoryPath: string | undefined;
  let context: DeployerContext<F>;
  try {
    const config = loadConfig(flags, { binary: definition.name, args, env });
    const options = config.values as FlagValues<F> & DeployerFlagValues;
    if (config.positionals.length > 1) {
      throw new ConfigError(`one inventory file, not ${config.positionals.length} arguments`);
    }
    if (options.inventory && config.positionals.length) {
      throw new ConfigError(`the inventory is given twice (--inventory and "${config.positionals[0]}")`);
    }
    if (options.quiet && options.verbose) {
      throw new ConfigError("--quiet and --verbose contradict each other");
    }
    inventoryPath = options.inventory || config.positionals[0];
    if (!inventoryPath) throw new ConfigError("no inventory file given");
    let inventory = await readInventoryObject(inventoryPath);
    const sshConfig = await loadSshConfig(options.sshConfig, config.sources.sshConfig !== "default");
    if (sshConfig) inventory = applySshConfig(inventory, sshConfig);
    await prepareKnownHostsFile(options.knownHosts);
    context = {
      options,
      inventoryPath,
      knownHosts: new KnownHosts(options.knownHosts),
      inventory,
      printer: new LivePrinter(options, output),
      env,
    };
  } catch (error) {
    for (const line of usageLines(definition.name, error, inventoryPath)) output.err(line);
    return ExitCode.usage;
  }
  let report: DeployReport;
  try {
    report = await definition.run(context);
  } catch (error) {
    const known = error instanceof FieldErrors || error instanceof ConfigError ||
      error instanceof InputError || error instanceof UsageError;
    for (const line of usageLines(definition.name, error, inventoryPath)) output.err(line);
    // Anything else is a fault of the command itself: its stack helps the report.
    if (!known && error instanceof Error && error.stack && context.options.verbose) output.err(error.stack);
    return ExitCode.usage;
  }
  const failed = report.hosts.some((host) => host.status === "failed");
  if (context.options.json) {
    output.out(JSON.stringify({
      command: definition.name,
      version: VERSION,
      inventory: inventoryPath,
      plan: report.plan,
      ok: !failed,
      changed: report.changed,
      hosts: report.hosts,
      ...report.details,
    }));
  } else {
    for (const line of formatSummary(report.hosts, context.options)) output.out(line);
  }
  return failed ? ExitCode.hostFailed : ExitCode.ok;
}

/** The ssh_config at `path`: absent is fine for the default path, an error for one the user named. */
async function loadSshConfig(path: string, named: boolean): Promise<SshConfig | undefined> {
  if (path === "") return undefined;
  try {
    return await SshConfig.load(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && !named) return undefined;
    throw new ConfigError(`--ssh-config ${path} cannot be read: ${(error as Error).message}`);
  }
}
