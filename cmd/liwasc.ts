// liwasc: list, scan and wake nodes — ARP scans, vendors, TCP/UDP port scans, Wake-on-LAN.
import { liwascFlags, liwascModule } from "../core/liwasc/module.ts";
import { runBinary } from "../core/runtime/binary.ts";
import { mountWebShell } from "../web/serve.ts";

Deno.exit(
  await runBinary({
    name: "liwasc",
    summary: "node scanner: ARP scans, MAC vendors, TCP/UDP port scans, services, Wake-on-LAN",
    defaultPort: 8473,
    flags: liwascFlags,
    services: (context) => [liwascModule(context)],
    mountWeb: mountWebShell,
  }),
);
