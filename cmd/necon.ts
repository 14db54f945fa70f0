// necon: CTPF's DHCPv4 server, configured live over its API.
import { neconFlags, neconModule } from "../core/necon/module.ts";
import { runBinary } from "../core/runtime/binary.ts";
import { mountWebShell } from "../web/serve.ts";

Deno.exit(
  await runBinary({
    name: "necon",
    summary: "DHCPv4 server: subnets, pools, reservations, relays; live configuration and lease stream",
    defaultPort: 8471,
    flags: neconFlags,
    services: (context) => [neconModule(context)],
    mountWeb: mountWebShell,
  }),
);
