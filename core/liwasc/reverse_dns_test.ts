// Reverse lookups against a real resolver: dnsmasq on a loopback address and a high port, answering one
// PTR record and nothing else (no upstream, no hosts file). Nothing leaves 127.0.0.0/8.
import { assertEquals } from "../testing/assert.ts";
import { reverseLookup } from "./reverse_dns.ts";

const dnsmasq = await new Deno.Command("sh", { args: ["-c", "command -v dnsmasq"], stdout: "null" }).output()
  .then((r) => r.success);

Deno.test({
  name: "reverse dns: a PTR record names the node; no record, no name",
  ignore: !dnsmasq,
  async fn() {
    const address = `127.0.${Math.floor(Math.random() * 200) + 20}.${Math.floor(Math.random() * 200) + 20}`;
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = new Deno.Command("dnsmasq", {
      args: [
        "--no-daemon",
        "--conf-file=/dev/null",
        "--no-resolv",
        "--no-hosts",
        `--listen-address=${address}`,
        "--bind-interfaces",
        `--port=${port}`,
        "--ptr-record=5.0.77.10.in-addr.arpa,node5.lab.example",
        "--pid-file=",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const nameServer = { ipAddr: address, port };
      let name: string | undefined;
      for (let attempt = 0; attempt < 20 && name === undefined; attempt++) {
        name = await reverseLookup("10.77.0.5", undefined, nameServer);
        if (name === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assertEquals(name, "node5.lab.example");
      assertEquals(await reverseLookup("10.77.0.6", undefined, nameServer), undefined);
    } finally {
      server.kill("SIGTERM");
      await server.output();
    }
  },
});
