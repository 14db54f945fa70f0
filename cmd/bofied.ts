// bofied: CTPF's network boot server (TFTP, HTTP, boot rules) with file management over its API.
import { bofiedFlags, bofiedModule } from "../core/bofied/module.ts";
import { runBinary } from "../core/runtime/binary.ts";
import { mountWebShell } from "../web/serve.ts";

Deno.exit(
  await runBinary({
    name: "bofied",
    summary: "network boot: TFTP and HTTP boot files, PXE boot rules, file management",
    defaultPort: 8472,
    flags: bofiedFlags,
    services: (context) => [bofiedModule(context)],
    mountWeb: mountWebShell,
  }),
);
