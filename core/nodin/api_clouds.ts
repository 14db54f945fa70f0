import type { HandlerContext } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { CloudAccountInput as CloudAccountInputMessage } from "../api/gen/ctpf/v1/nodin_pb.ts";
import { principalKey } from "../api/context.ts";
import { InputError } from "../errors/input_error.ts";
import { checkBmc } from "./bmc_check.ts";
import type { CloudAccount } from "./clouds/account.ts";
import { bmcInputOf } from "./messages.ts";
import type { Nodin } from "./nodin.ts";
import { checkCredentialRef } from "./secrets.ts";
import type { CheckBmcRequest } from "../api/gen/ctpf/v1/nodin_pb.ts";

const callerOf = (context: HandlerContext) => context.values.get(principalKey)?.name ?? "anonymous";

/** An account as the API shows it: settings and whether a credential is stored, never the credential. */
export function accountMessage(nodin: Nodin, account: CloudAccount) {
  const next = nodin.clouds.nextSync(account.id);
  return {
    id: account.id,
    name: account.name,
    provider: account.provider,
    settings: account.settings,
    hasCredential: nodin.clouds.hasCredential(account),
    lastSync: account.lastSync && {
      at: timestampFromMs(account.lastSync.at),
      ok: account.lastSync.ok,
      error: account.lastSync.error,
      machines: account.lastSync.machines,
      next: next ? timestampFromMs(next) : undefined,
    },
  };
}

function accountInputOf(message: CloudAccountInputMessage | undefined) {
  if (!message) throw new InputError("account", "the account is required");
  const credential = message.credential;
  const given = credential &&
    (credential.username || credential.password || Object.keys(credential.extra).length);
  return {
    id: message.id || undefined,
    name: message.name,
    provider: message.provider,
    settings: message.settings,
    credential: given
      ? {
        username: credential.username || undefined,
        password: credential.password || undefined,
        extra: credential.extra,
      }
      : undefined,
  };
}

/** NodinService's cloud-account and BMC-check methods (spread into the service in api.ts). */
export function cloudHandlers(nodin: Nodin) {
  const message = (account: CloudAccount) => accountMessage(nodin, account);
  return {
    listCloudAccounts() {
      return { accounts: nodin.clouds.list().map(message) };
    },
    putCloudAccount(request: { account?: CloudAccountInputMessage }) {
      return { account: message(nodin.clouds.put(accountInputOf(request.account))) };
    },
    async deleteCloudAccount(request: { id: string }, context: HandlerContext) {
      await nodin.clouds.delete(request.id, callerOf(context));
      return {};
    },
    async syncCloudAccount(request: { id: string }, context: HandlerContext) {
      return { account: message(await nodin.clouds.syncNow(request.id, context.signal)) };
    },
    async checkBmc(request: CheckBmcRequest) {
      if (!request.bmc) throw new InputError("bmc", "the BMC to check is required");
      const bmc = bmcInputOf(request.bmc);
      if (request.storeCredentialRef) checkCredentialRef(request.storeCredentialRef, "store_credential_ref");
      const result = await checkBmc(nodin.drivers, {
        bmc,
        action: request.action || "status",
        bootDevice: request.bootDevice,
        persistent: request.persistent,
        uefi: request.uefi,
      });
      // Stored only once the BMC answered, so a mistyped credential is not kept.
      if (request.storeCredentialRef && bmc.credential && result.observed.state !== "unknown") {
        nodin.putCredential(request.storeCredentialRef, bmc.credential, "store_credential_ref");
      }
      return {
        observed: {
          state: result.observed.state,
          at: timestampFromMs(result.observed.at),
          evidence: result.observed.evidence,
        },
        done: result.done,
      };
    },
  };
}
