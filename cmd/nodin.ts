// nodin: the node inventory on its own, following necon, liwasc and bofied over their APIs.
import { mergeFlags } from "../core/config/flags.ts";
import { nodinFlags, nodinModule } from "../core/nodin/module.ts";
import { nodinRemoteFlags, remoteFeeds } from "../core/nodin/remote_flags.ts";
import { runBinary } from "../core/runtime/binary.ts";
import { mountWebShell } from "../web/serve.ts";

Deno.exit(
  await runBinary({
    name: "nodin",
    summary: "node inventory: every machine, its power and its life-cycle; enrolment rules; power drivers",
    defaultPort: 8475,
    flags: mergeFlags(nodinFlags, nodinRemoteFlags),
    services: (context) => [nodinModule(context, remoteFeeds(context.flags, context.logger("nodin")))],
    mountWeb: mountWebShell,
  }),
);
