import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { BofiedService, FileArea } from "../api/gen/ctpf/v1/bofied_pb.ts";
import { type Hub, HubFullError } from "../stream/hub.ts";
import { architectureName } from "../net/dhcp/mod.ts";
import type { BootEvent } from "./events.ts";
import { type FileEntry, FileOperationError, type ServedFiles } from "./files.ts";
import { JailError } from "./jail.ts";
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
}

function entryMessage(entry: FileEntry) {
  return {
    ...entry,
    size: BigInt(entry.size),
    modified: entry.modified ? timestampFromDate(entry.modified) : undefined,
  };
}

/** File errors as API errors: the jail's refusals are permission errors, never internal ones. */
async function fileCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof JailError) {
      throw new ConnectError(`refused: ${error.message}`, Code.PermissionDenied);
    }
    if (error instanceof FileOperationError) {
      const code = {
        "not-found": Code.NotFound,
        exists: Code.AlreadyExists,
        invalid: Code.FailedPrecondition,
        "too-large": Code.OutOfRange,
      }[error.code];
      throw new ConnectError(error.message, code);
    }
    if (error instanceof Deno.errors.NotFound) {
      throw new ConnectError("no such file or directory", Code.NotFound);
    }
    throw error;
  }
}

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
    listFiles: (request) =>
      fileCall(async () => ({ entries: (await area(request.area).list(request.path)).map(entryMessage) })),
    readFile: (request) =>
      fileCall(async () => {
        const { entry, content } = await area(request.area).read(request.path);
        return { entry: entryMessage(entry), content };
      }),
    writeFile: (request) =>
      fileCall(async () => {
        const entry = await area(request.area).write(request.path, request.content, request.parents);
        note("file written", { path: entry.path, bytes: String(entry.size) });
        return { entry: entryMessage(entry) };
      }),
    makeDirectory: (request) =>
      fileCall(async () => {
        await area(request.area).makeDirectory(request.path);
        note("directory made", { path: request.path });
        return {};
      }),
    moveFile: (request) =>
      fileCall(async () => {
        await area(request.area).move(request.from, request.to, request.overwrite);
        note("file moved", { from: request.from, to: request.to });
        return {};
      }),
    copyFile: (request) =>
      fileCall(async () => {
        await area(request.area).copy(request.from, request.to, request.overwrite);
        note("file copied", { from: request.from, to: request.to });
        return {};
      }),
    deleteFile: (request) =>
      fileCall(async () => {
        await area(request.area).delete(request.path, request.recursive);
        note("file deleted", { path: request.path });
        return {};
      }),
    async *subscribeToEvents(request, handlerContext) {
      let events;
      try {
        events = context.events.subscribe(request.history, handlerContext.signal);
      } catch (error) {
        if (error instanceof HubFullError) throw new ConnectError(error.message, Code.ResourceExhausted);
        throw error;
      }
      for await (const event of events) {
        yield {
          event: {
            time: timestampFromDate(event.time),
            kind: event.kind,
            message: event.message,
            fields: event.fields,
          },
        };
      }
    },
  });
}
