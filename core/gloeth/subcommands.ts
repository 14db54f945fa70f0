import { parseArgs } from "node:util";
import { initNetwork, initNode, revoke } from "./identity/node_dir.ts";

const usage = `gloeth subcommands:
  gloeth network-init <network-dir>                      a new network: its key (0600), public key, link CA
  gloeth node-init <network-dir> <node-dir> --name <n> [--days 365]
                                                         a node's keys and certificates, signed by the network
  gloeth revoke <network-dir> <serial>...                 add serials to the signed revocation list
                                                         (copy network-dir/revocations to the nodes)`;

/** Runs a subcommand and returns its exit status, or undefined when the arguments are the node's flags. */
export async function runGloethSubcommand(args: string[]): Promise<number | undefined> {
  const [command, ...rest] = args;
  if (!["network-init", "node-init", "revoke", "help"].includes(command ?? "")) return undefined;
  try {
    if (command === "network-init" && rest.length === 1) {
      const { networkId } = await initNetwork(rest[0]);
      console.log(
        `network ${networkId} in ${rest[0]} (keep network.key offline; give nodes network.pub and ca.pem)`,
      );
      return 0;
    }
    if (command === "node-init") {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { name: { type: "string" }, days: { type: "string", default: "365" } },
        allowPositionals: true,
      });
      if (positionals.length !== 2 || !values.name) throw new UsageError();
      const { nodeId, serial } = await initNode(
        positionals[0],
        positionals[1],
        values.name,
        Number(values.days),
      );
      console.log(`node ${values.name}: id ${nodeId}, serial ${serial}, in ${positionals[1]}`);
      return 0;
    }
    if (command === "revoke" && rest.length >= 2) {
      const all = await revoke(rest[0], rest.slice(1).map((serial) => BigInt(serial)));
      console.log(`revocation list signed: ${all.length} serial(s)`);
      return 0;
    }
    throw new UsageError();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(usage);
      return command === "help" ? 0 : 2;
    }
    console.error(`gloeth ${command}: ${(error as Error).message}`);
    return 1;
  }
}

class UsageError extends Error {}
