// gloeth: encrypted layer-2 mesh VPN node. Key and certificate work are subcommands; without one, the node runs.
import { gloethFlags, gloethModule } from "../core/gloeth/module.ts";
import { runGloethSubcommand } from "../core/gloeth/subcommands.ts";
import { runBinary } from "../core/runtime/binary.ts";
import { mountWebShell } from "../web/serve.ts";

const subcommand = await runGloethSubcommand(Deno.args);
if (subcommand !== undefined) Deno.exit(subcommand);

Deno.exit(
  await runBinary({
    name: "gloeth",
    summary: "encrypted layer-2 mesh VPN node (subcommands: network-init, node-init, revoke)",
    defaultPort: 8474,
    flags: gloethFlags,
    services: (context) => [gloethModule(context)],
    mountWeb: mountWebShell,
  }),
);
