import { join } from "node:path";
import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { optionalHostPortFlag, stringFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import { registerBofiedApi } from "./api.ts";
import { createBootEvents } from "./events.ts";
import { FileCache } from "./file_cache.ts";
import { ServedFiles } from "./files.ts";
import { ServedCoalescer } from "./http_events.ts";
import { bootFastPath, bootFileRoute, type BootHttpOptions, mountBootHttp } from "./http.ts";
import { SendfileServer } from "../http/sendfile_server.ts";
import { mountWebDav } from "./webdav.ts";
import { Jail } from "./jail.ts";
import { defaultRules } from "./rules/default_rules.ts";
import { BootRules } from "./rules/engine.ts";
import { TftpServer } from "./tftp/server.ts";
import { ProxyDhcp } from "./proxy_dhcp.ts";
import type { BootAnswerProvider } from "../net/dhcp/boot_answer.ts";
import { pxeAnswers } from "./pxe_answers.ts";

/** bofied's flags, shared by the bofied binary and the all-in-one. */
export const bofiedFlags = {
  tftpListen: optionalHostPortFlag({
    name: "tftp-listen",
    description: "address:port to serve TFTP on, e.g. 0.0.0.0:69 (empty: no TFTP)",
    defaultText: "off",
    ipv4: true,
  }),
  bootHttpListen: optionalHostPortFlag({
    name: "boot-http-listen",
    description:
      "address:port to also serve /boot/ on with sendfile(2), e.g. 0.0.0.0:8069; boot URLs then point there (empty: off)",
    defaultText: "off",
    ipv4: true,
  }),
  tftpInterface: stringFlag({
    name: "tftp-interface",
    description: "serve TFTP only on this interface (SO_BINDTODEVICE)",
    default: "",
    defaultText: "any interface of --tftp-listen's address",
    allowEmpty: true,
  }),
  proxyDhcpInterface: stringFlag({
    name: "proxy-dhcp-interface",
    description:
      "answer PXE clients on this interface as a proxyDHCP server (ports 67 and 4011), beside another DHCP server",
    default: "",
    defaultText: "off",
    allowEmpty: true,
  }),
  bootAddress: stringFlag({
    name: "boot-address",
    description: "address booting machines reach this node at (used in boot URLs)",
    default: "",
    defaultText: "the --listen address",
    allowEmpty: true,
  }),
};

export function bofiedModule(
  context: ServiceContext<FlagValues<typeof bofiedFlags>>,
): ServiceModule & { bootAnswers: BootAnswerProvider } {
  const log = context.log.child("bofied");
  const base = join(context.dataDir, "bofied");
  const bootRoot = join(base, "boot"),
    privateRoot = join(base, "private"),
    rulesPath = join(base, "rules.ts");
  const events = createBootEvents();
  const publish = (
    kind: "tftp" | "http" | "rules-loaded" | "rules-error",
    message: string,
    fields: Record<string, string>,
  ) => events.publish({ time: new Date(), kind, message, fields });
  const { tftpListen, bootHttpListen, bootAddress, anonymousRead } = context.flags;
  const tftpInterface = context.flags.tftpInterface || undefined;
  const server = () => bootAddress || context.listenAddress().hostname;
  let bootHttpServer: SendfileServer | undefined;
  // Where booting machines fetch /boot/ over HTTP: the sendfile port when it is on.
  const bootHttpPort = () => bootHttpServer?.port ?? context.listenAddress().port;
  let tftp: TftpServer | undefined;
  let proxy: ProxyDhcp | undefined;
  const proxyInterface = context.flags.proxyDhcpInterface;

  Deno.mkdirSync(bootRoot, { recursive: true });
  Deno.mkdirSync(privateRoot, { recursive: true, mode: 0o700 });
  try {
    Deno.writeTextFileSync(rulesPath, defaultRules, { createNew: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  const rules = new BootRules({
    path: rulesPath,
    log,
    onEvent: (event) => publish(event.kind, event.message, {}),
  });
  const servedEvents = new ServedCoalescer((batch) =>
    publish("http", `${batch.status} ${batch.path}${batch.count > 1 ? ` ×${batch.count}` : ""}`, {
      path: batch.path,
      status: String(batch.status),
      bytes: String(batch.bytes),
      client: batch.client,
      count: String(batch.count),
    })
  );
  const bootJail = new Jail(bootRoot), privateJail = new Jail(privateRoot);
  const cache = new FileCache(256 << 20, 128 << 20);
  const bootHttp: BootHttpOptions = {
    publicJail: bootJail,
    privateJail,
    cache,
    auth: context.auth,
    anonymousRead,
    onServed: (served) => servedEvents.add(served),
  };
  const files = { boot: new ServedFiles(bootJail), private: new ServedFiles(privateJail) };

  const bootAnswers = pxeAnswers({
    rules,
    bootAddress: () => bootAddress || undefined,
    httpPort: bootHttpPort,
    onAnswer: (mac, summary, fields) => {
      log.info("pxe answer", { mac, answer: summary, ...fields });
      events.publish({
        time: new Date(),
        kind: "pxe",
        message: `${mac}: ${summary}`,
        fields: { mac, ...fields },
      });
    },
  });

  return {
    bootAnswers,
    name: "bofied",
    title: "Network boot",
    registerRpc: (router) =>
      registerBofiedApi(router, {
        files,
        rules,
        events,
        info: () => ({
          tftpAddress: tftpListen?.hostname ?? "",
          tftpPort: tftp?.port ?? 0,
          httpBootUrl: `http://${server()}:${bootHttpPort()}/boot`,
          rulesPath,
          server: server(),
          httpPort: bootHttpPort(),
        }),
      }),
    mountHttp: (app) => {
      mountWebDav(app, {
        trees: { "/dav/boot": files.boot, "/dav/private": files.private },
        auth: context.auth,
        onChange: (what, path) =>
          events.publish({ time: new Date(), kind: "file", message: `webdav ${what}`, fields: { path } }),
      });
      mountBootHttp(app, bootHttp);
    },
    answerFast: bootFastPath(bootHttp),
    async start() {
      await rules.start();
      if (!rules.loaded) log.warn("no boot rules in force", { path: rulesPath, error: rules.lastError });
      if (bootHttpListen) {
        bootHttpServer = new SendfileServer({
          address: bootHttpListen.hostname,
          port: bootHttpListen.port,
          route: bootFileRoute(bootHttp),
          onServed: bootHttp.onServed,
          onError: (message, error) => log.warn(message, { error: String(error) }),
        });
        bootHttpServer.start();
        log.info("serving /boot/ with sendfile", {
          address: bootHttpListen.hostname,
          port: bootHttpServer.port,
        });
      }
      if (tftpListen) {
        tftp = new TftpServer({
          jail: bootJail,
          cache,
          address: tftpListen.hostname,
          port: tftpListen.port,
          device: tftpInterface,
          log,
          onTransfer: (event) =>
            publish("tftp", `${event.ok ? "sent" : "incomplete"} ${event.file}`, {
              file: event.file,
              client: event.client,
              bytes: String(event.bytes),
              blksize: String(event.blockSize),
              windowsize: String(event.windowSize),
              ms: String(event.milliseconds),
              ...(event.reason ? { reason: event.reason } : {}),
            }),
        });
        tftp.start();
      }
      if (proxyInterface) {
        proxy = new ProxyDhcp({ interfaceName: proxyInterface, bootAnswers, log });
        proxy.start();
      }
    },
    async stop() {
      rules.stop();
      await bootHttpServer?.close();
      servedEvents.flush();
      await tftp?.stop();
      await proxy?.stop();
    },
  };
}
