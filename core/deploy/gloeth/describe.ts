// A plan in words, for a dry run and the logs: what each host gets. Node keys are named by where they
// come from on the controller, never shown.
import { sshEndpoint } from "../ssh/endpoint.ts";
import type { GloethHostPlan, GloethPlan, PlannedFile } from "./plan_types.ts";

function describeFile(file: PlannedFile): string {
  const mode = file.mode.toString(8).padStart(4, "0");
  const { content } = file;
  return content.kind === "text"
    ? `file ${file.path} ${mode} (${content.text.trimEnd().split("\n").length} lines)`
    : `file ${file.path} ${mode}${file.secret ? " secret," : ""} from the controller's ${content.path}`;
}

export function describeHostPlan(plan: GloethHostPlan): string[] {
  const arches = Object.keys(plan.archives);
  const archive = plan.arch
    ? `${plan.arch} (required)`
    : `the detected architecture (${arches.join(" or ") || "none in the release"})`;
  const role = plan.relay
    ? "relay (no local segment)"
    : `overlay ${plan.flags["tap-address"]} on ${plan.flags.tap}`;
  return [
    `${plan.host}: ${role}, ${
      plan.flags["link-listen"] ? `links on ${plan.flags["link-listen"]}` : "dials out only"
    }`,
    `  release for ${archive}: ${Object.values(plan.archives).map((entry) => entry!.file).join(", ")}`,
    `  peers ${plan.flags.peers || "none"}`,
    ...plan.files.map((file) => `  ${describeFile(file)}`),
    `  unit ${plan.unit} from the release, restarted when any of the above changes`,
  ];
}

export function describeGloethPlan(plan: GloethPlan): string[] {
  return [
    `gloeth ${plan.version}, network ${plan.networkDir} (its key stays on the controller)`,
    ...plan.hosts.flatMap(describeHostPlan),
    ...plan.removals.map((removal) =>
      `${removal.host}: revoked (serial ${removal.serial}, the list goes to every node), ` +
      (removal.sameMachineAs
        ? `its unit left running: the same machine as ${removal.sameMachineAs} (${sshEndpoint(removal.ssh)})`
        : "its unit stopped if it answers")
    ),
    `mesh check: ${plan.mesh.map((node) => `${node.host} ${node.address}`).join(", ") || "nothing to check"}`,
  ];
}
