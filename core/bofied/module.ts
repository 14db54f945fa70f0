import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { booleanFlag, optionalHostPortFlag, stringFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import type { BootAnswerProvider } from "../net/dhcp/boot_answer.ts";
import { registerBofiedApi } from "./api.ts";
import { Bofied } from "./bofied.ts";
import { bootFastPath, mountBootHttp } from "./http.ts";
import { SqliteBofiedStateRepository } from "./store_sqlite.ts";
import { mountWebDav } from "./webdav/mount.ts";

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
    defaultText: "the TFTP (else proxyDHCP) interface's address, else the --listen address",
    allowEmpty: true,
  }),
  noBootStarter: booleanFlag({
    name: "no-boot-starter",
    description:
      "leave an empty boot tree empty on the first start (by default it gets Debian's iPXE binaries from /usr/lib/ipxe and a starter menu.ipxe)",
    default: false,
  }),
};

export function bofiedModule(
  context: ServiceContext<FlagValues<typeof bofiedFlags>>,
): ServiceModule & { bootAnswers: BootAnswerProvider; bofied: Bofied } {
  const bofied = new Bofied({
    log: context.logger("bofied"),
    metrics: context.metrics,
    auth: context.auth,
    dataDir: context.dataDir,
    anonymousRead: context.flags.anonymousRead,
    tftpListen: context.flags.tftpListen,
    tftpInterface: context.flags.tftpInterface,
    bootHttpListen: context.flags.bootHttpListen,
    bootAddress: context.flags.bootAddress,
    proxyDhcpInterface: context.flags.proxyDhcpInterface,
    listenAddress: context.listenAddress,
    store: context.store,
    state: new SqliteBofiedStateRepository(context.store),
    bootStarter: !context.flags.noBootStarter,
  });
  const { files, events } = bofied;
  return {
    bofied,
    bootAnswers: bofied.bootAnswers,
    name: "bofied",
    title: "Network boot",
    registerRpc: (router) =>
      registerBofiedApi(router, {
        files,
        rules: bofied.rules,
        events,
        info: () => bofied.info(),
        bootSettings: () => bofied.bootSettings(),
        setBootSettings: (settings) => bofied.setBootSettings(settings),
      }),
    mountHttp: (app) => {
      mountWebDav(app, {
        trees: { "/dav/boot": files.boot, "/dav/private": files.private },
        auth: context.auth,
        metrics: bofied.metrics,
        onChange: (what, path) =>
          events.publish({ time: new Date(), kind: "file", message: `webdav ${what}`, fields: { path } }),
      });
      mountBootHttp(app, bofied.bootHttp);
    },
    answerFast: bootFastPath(bofied.bootHttp),
    start: () => bofied.start(),
    stop: () => bofied.stop(),
    headlines: [
      { id: "bofied.boots", title: "Boots", kind: "counter", read: () => bofied.pxeAnswerCount },
    ],
    status() {
      const info = bofied.info(), boot = bofied.bootSettings();
      const where = boot.settings.tftpInterface || info.tftpAddress || "all addresses";
      const tftp = info.tftpPort ? `TFTP on ${where}:${info.tftpPort}` : "TFTP off";
      return { healthy: true, summary: `${tftp}; HTTP boot ${info.httpBootUrl}` };
    },
  };
}
