// ctpf: the all-in-one node binary. It hosts every CTPF service available in this build on one API/web
// port; the single-service binaries (necon, bofied …) host one each.
import { bofiedFlags, bofiedModule } from "../core/bofied/module.ts";
import { buildersFlags, buildersModule } from "../core/builders/module.ts";
import { deployersFlags, deployersModule } from "../core/deployers/module.ts";
import { liwascFlags, liwascModule } from "../core/liwasc/module.ts";
import { neconFlags, neconModule } from "../core/necon/module.ts";
import { nodinFlags, nodinModule } from "../core/nodin/module.ts";
import { mergeFlags } from "../core/config/flags.ts";
import { runBinary } from "../core/runtime/binary.ts";
import { mountWebShell } from "../web/serve.ts";
import { bofiedPublisher } from "./builders_publisher.ts";
import { nodinTargets } from "./deployers_targets.ts";
import { inProcessFeeds } from "./nodin_feeds.ts";

Deno.exit(
  await runBinary({
    name: "ctpf",
    summary: "CTPF node: API and web UI for the cluster platform services",
    defaultPort: 8470,
    // Two services declaring the same flag stop the binary here rather than share one value.
    flags: mergeFlags(neconFlags, bofiedFlags, liwascFlags, nodinFlags, buildersFlags, deployersFlags),
    services: (context) => {
      // necon asks bofied's boot rules what PXE clients should boot.
      const bofied = bofiedModule(context);
      const necon = neconModule(context, bofied.bootAnswers);
      const liwasc = liwascModule(context);
      // nodin sees what the others see, through their hubs.
      const nodin = nodinModule(
        context,
        inProcessFeeds({ necon: necon.necon, liwasc: liwasc.liwasc, bofied: bofied.bofied }),
      );
      // Builds publish their artifacts into bofied's boot tree.
      const builders = buildersModule(context, bofiedPublisher(bofied.bofied));
      // Deployments pick their targets from nodin's inventory.
      const deployers = deployersModule(context, nodinTargets(nodin.nodin));
      return [necon, bofied, liwasc, nodin, builders, deployers];
    },
    mountWeb: mountWebShell,
  }),
);
