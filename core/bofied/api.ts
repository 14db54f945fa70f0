import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { BofiedService, FileArea } from "../api/gen/ctpf/v1/bofied_pb.ts";
import type { Hub } from "../stream/hub.ts";
import { snapshotThenChanges } from "../stream/snapshot_then_changes.ts";
import { architectureName } from "../net/dhcp/mod.ts";
import type { BootSettings, BootSettingsView } from "./boot_settings.ts";
import type { BootEvent } from "./events.ts";
import type { FileEntry, ServedFiles } from "./files.ts";
import type { BootRules } from "./rules/engine.ts";

export interface BofiedApiContext {
  files: { boot: ServedFiles; private: ServedFiles };
  rules: BootRules;
  events: Hub<BootEvent>;
  info: () => {
    tftpAddress: string;
    tftpPort: number;
    httpBootUrl: string;
    rulesPath: string;
    server: string;
    httpPort: number;
  };
  bootSettings: () => BootSettingsView;
  setBootSettings: (settings: BootSettings) => Promise<BootSettingsView>;
}

function entryMessage(entry: FileEntry) {
  return {
    ...entry,
    size: BigInt(entry.size),
    modified: entry.modified ? timestampFromDate(entry.modified) : undefined,
  };
}

function eventMessage(event: BootEvent) {
  return {
    event: {
      time: timestampFromDate(event.time),
      kind: event.kind,
      message: event.message,
      fields: event.fields,
    },
  };
}

/**
 * bofied's API. File errors (the jail's refusals, FileOperationError) reach clients as status codes
 * through the API's error layer (core/api/domain_errors.ts).
 */
export function registerBofiedApi(router: ConnectRouter, context: BofiedApiContext): void {
  const area = (value: FileArea) => {
    if (value === FileArea.PRIVATE) return context.files.private;
    if (value === FileArea.BOOT || value === FileArea.UNSPECIFIED) return context.files.boot;
    throw new ConnectError("area: FILE_AREA_BOOT or FILE_AREA_PRIVATE", Code.InvalidArgument);
  };
  const note = (message: string, fields: Record<string, string>) =>
    context.events.publish({ time: new Date(), kind: "file", message, fields });

  router.service(BofiedService, {
    getBootInfo() {
      const info = context.info();
      return {
        tftpAddress: info.tftpAddress,
        tftpPort: info.tftpPort,
        httpBootUrl: info.httpBootUrl,
        rulesPath: info.rulesPath,
        rulesError: context.rules.lastError ?? "",
      };
    },
    getBootSettings() {
      return context.bootSettings();
    },
    async setBootSettings(request) {
      const { tftpInterface = "", proxyDhcpInterface = "", bootAddress = "" } = request.settings ?? {};
      return { state: await context.setBootSettings({ tftpInterface, proxyDhcpInterface, bootAddress }) };
    },
    async dryRunRules(request) {
      const facts = request.facts;
      const info = context.info();
      const arch = facts?.arch ?? 0;
      const result = await context.rules.evaluate({
        mac: facts?.mac ?? "",
        ip: facts?.ip || undefined,
        arch: { id: arch, name: architectureName(arch) },
        vendorClass: facts?.vendorClass || undefined,
        userClass: facts?.userClass || undefined,
        uuid: facts?.uuid || undefined,
        relay: facts?.relay || undefined,
        server: info.server,
        httpPort: info.httpPort,
      });
      if (!result.decision) return { error: result.error ?? "no decision" };
      if (result.decision.ignore) return { ignore: true };
      return {
        tftpFile: result.decision.tftpFile ?? "",
        httpUrl: result.decision.httpUrl ?? "",
        nextServer: result.decision.nextServer ?? "",
      };
    },
    async checkRules(request) {
      return { error: (await context.rules.check(request.source)) ?? "" };
    },
    async getRules() {
      return { source: await Deno.readTextFile(context.info().rulesPath) };
    },
    async putRules(request) {
      const problem = await context.rules.check(request.source);
      if (problem) throw new ConnectError(problem, Code.InvalidArgument);
      const path = context.info().rulesPath;
      await Deno.writeTextFile(`${path}.tmp`, request.source);
      await Deno.rename(`${path}.tmp`, path);
      if (!(await context.rules.reload())) {
        throw new ConnectError(context.rules.lastError ?? "rules not loaded", Code.InvalidArgument);
      }
      note("rules saved", { path });
      return {};
    },
    async listFiles(request) {
      return { entries: (await area(request.area).list(request.path)).map(entryMessage) };
    },
    async readFile(request) {
      const { entry, content } = await area(request.area).read(request.path);
      return { entry: entryMessage(entry), content };
    },
    async writeFile(request) {
      const entry = await area(request.area).write(request.path, request.content, request.parents);
      note("file written", { path: entry.path, bytes: String(entry.size) });
      return { entry: entryMessage(entry) };
    },
    async makeDirectory(request) {
      await area(request.area).makeDirectory(request.path);
      note("directory made", { path: request.path });
      return {};
    },
    async moveFile(request) {
      await area(request.area).move(request.from, request.to, request.overwrite);
      note("file moved", { from: request.from, to: request.to });
      return {};
    },
    async copyFile(request) {
      await area(request.area).copy(request.from, request.to, request.overwrite);
      note("file copied", { from: request.from, to: request.to });
      return {};
    },
    async deleteFile(request) {
      await area(request.area).delete(request.path, request.recursive);
      note("file deleted", { path: request.path });
      return {};
    },
    subscribeToEvents: (request, handlerContext) =>
      snapshotThenChanges({
        changes: context.events,
        signal: handlerContext.signal,
        replay: request.history,
        toMessage: eventMessage,
      }),
  });
}
