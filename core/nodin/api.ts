import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { NodinService } from "../api/gen/ctpf/v1/nodin_pb.ts";
import { principalKey } from "../api/context.ts";
import { InputError } from "../errors/input_error.ts";
import { snapshotThenChanges } from "../stream/snapshot_then_changes.ts";
import { cloudHandlers } from "./api_clouds.ts";
import { nodePredicate } from "./filter.ts";
import { bmcInputOf, driverMessage, filterOf, historyMessage, nodeMessage, ruleMessage } from "./messages.ts";
import type { NodeRecord } from "./model.ts";
import type { PowerRequest } from "./node_power.ts";
import type { Nodin } from "./nodin.ts";

const callerOf = (context: HandlerContext) => context.values.get(principalKey)?.name ?? "anonymous";
const powerRequests: PowerRequest[] = ["on", "off", "soft-off", "cycle"];

/**
 * nodin's API. Refusals (unknown node, illegal life-cycle step, wrong fields) are nodin's own errors,
 * turned into status codes and field violations by core/api/domain_errors.ts.
 */
export function registerNodinApi(router: ConnectRouter, nodin: Nodin): void {
  const message = (node: NodeRecord) => nodeMessage(node, (ref) => nodin.hasCredential(ref));
  const answer = (node: NodeRecord) => ({ node: message(node) });
  const update = (node: NodeRecord, removed: boolean, replay: boolean) => ({
    node: message(node),
    removed,
    replay,
  });
  router.service(NodinService, {
    ...cloudHandlers(nodin),
    listInventory(request) {
      return { nodes: nodin.list(filterOf(request.filter)).map(message) };
    },
    getInventoryNode(request) {
      return answer(nodin.require(request.id));
    },
    watchInventory(request, context) {
      const wanted = nodePredicate(filterOf(request.filter));
      return snapshotThenChanges({
        changes: nodin.changes,
        signal: context.signal,
        snapshot: () =>
          nodin.list(filterOf(request.filter)).map((node) => ({
            ...answer(node),
            removed: false,
            replay: true as boolean,
          })),
        // A node that stops matching is sent as removed, so a filtered view drops it.
        toMessage: (change) => update(change.node, change.removed || !wanted(change.node), false),
      });
    },
    async createNode(request, context) {
      const spec = request.node;
      if (!spec) throw new InputError("node", "the node to create is required");
      if (request.cloud) {
        return answer(
          await nodin.clouds.createMachine(request.cloud.accountId, {
            name: spec.name,
            size: request.cloud.size,
            image: request.cloud.image,
            location: request.cloud.location,
            labels: spec.labels,
            userData: request.cloud.userData || undefined,
          }, callerOf(context)),
        );
      }
      return answer(nodin.create({
        name: spec.name || undefined,
        labels: spec.labels,
        provider: spec.provider || undefined,
        providerRef: spec.providerRef || undefined,
        macs: spec.macs,
        addresses: spec.addresses,
        architecture: spec.architecture || undefined,
        firmware: spec.firmware || undefined,
        bmc: spec.bmc ? bmcInputOf(spec.bmc) : undefined,
        bootIntent: spec.bootIntent || undefined,
        lifecycle: spec.lifecycle || undefined,
      }, callerOf(context)));
    },
    updateNode(request, context) {
      if (request.removeBmc && request.bmc) throw new InputError("remove_bmc", "either a new BMC or none");
      return answer(nodin.update(request.id, {
        name: request.name,
        labels: request.labels?.values,
        macs: request.macs?.values,
        addresses: request.addresses?.values,
        architecture: request.architecture,
        firmware: request.firmware,
        bmc: request.removeBmc ? null : request.bmc ? bmcInputOf(request.bmc) : undefined,
        bootIntent: request.bootIntent,
      }, callerOf(context)));
    },
    async deleteNode(request, context) {
      const node = nodin.require(request.id);
      if (node.cloudAccount && node.lifecycle !== "retired") {
        await nodin.clouds.deleteMachine(node, callerOf(context));
      } else nodin.delete(request.id, callerOf(context));
      return {};
    },
    setPower(request, context) {
      if (!powerRequests.includes(request.action as PowerRequest)) {
        throw new InputError("action", `"${request.action}" is not one of ${powerRequests.join(", ")}`);
      }
      return answer(nodin.power.request(request.id, request.action as PowerRequest, callerOf(context)));
    },
    async setBootDevice(request, context) {
      await nodin.power.setBootDevice(
        request.id,
        request.device,
        { persistent: request.persistent, uefi: request.uefi },
        callerOf(context),
      );
      return {};
    },
    enrolNode(request, context) {
      return answer(
        nodin.enrol(
          request.id,
          { labels: request.labels, bootIntent: request.bootIntent },
          callerOf(context),
        ),
      );
    },
    retireNode(request, context) {
      return answer(
        nodin.retire(request.id, { reason: request.reason, powerOff: request.powerOff }, callerOf(context)),
      );
    },
    setLifecycle(request, context) {
      return answer(nodin.setLifecycle(request.id, request.lifecycle, callerOf(context), request.reason));
    },
    listNodeHistory(request) {
      nodin.require(request.id);
      const before = request.beforeSeq ? Number(request.beforeSeq) : undefined;
      return { entries: nodin.history(request.id, request.limit || 100, before).map(historyMessage) };
    },
    listDrivers() {
      return { drivers: nodin.drivers.list().map(driverMessage) };
    },
    listEnrolmentRules() {
      return { rules: nodin.rules().map(ruleMessage) };
    },
    putEnrolmentRule(request) {
      const rule = request.rule;
      if (!rule) throw new InputError("rule", "the rule is required");
      return {
        rule: ruleMessage(nodin.putRule({
          id: rule.id || undefined,
          name: rule.name,
          priority: rule.priority,
          enabled: rule.enabled,
          macPrefixes: rule.macPrefixes,
          pxeArchitectures: rule.pxeArchitectures,
          labelSelector: rule.labelSelector,
          setLabels: rule.setLabels,
          bootIntent: rule.bootIntent,
        })),
      };
    },
    deleteEnrolmentRule(request) {
      nodin.deleteRule(request.id);
      return {};
    },
  });
}
