// A plan in words, for a dry run and the host logs: what each host gets and in which order. A secret is
// named by where it comes from, never shown, and config.yaml appears as the invocation it amounts to.
import type { K3sHostPlan, K3sPlan, PlannedFile } from "./plan_types.ts";

function describeFile(file: PlannedFile): string {
  const mode = file.mode.toString(8).padStart(4, "0");
  const { content } = file;
  switch (content.kind) {
    case "text":
      return `file ${file.path} ${mode} (${content.text.trimEnd().split("\n").length} lines)`;
    case "secret-file":
      return `file ${file.path} ${mode} secret, from the controller's ${content.path}`;
    case "controller-file":
      return `file ${file.path} ${mode} from the controller's ${content.path}`;
    case "download":
      return `file ${file.path} ${mode} from ${content.url} (checked against ${content.checksumsUrl})`;
  }
}

export function describeHostPlan(plan: K3sHostPlan): string[] {
  return [
    `${plan.host}: k3s ${plan.role}${plan.first ? " (initialises the cluster)" : ""}, ${plan.arch}`,
    ...plan.files.map((file) => `  ${describeFile(file)}`),
    `  unit ${plan.unit.path}`,
    `  runs ${plan.invocation.join(" ")}`,
    ...(plan.versionCheck
      ? [`  checks ${plan.versionCheck.argv.join(" ")} says ${plan.versionCheck.expect}`]
      : []),
  ];
}

export function describeK3sPlan(plan: K3sPlan): string[] {
  return [
    `cluster ${plan.cluster}, token from the controller's ${plan.tokenFile}`,
    ...plan.stages.map((stage, index) => `stage ${index + 1}: ${stage.join(", ")}`),
    ...plan.hosts.flatMap(describeHostPlan),
    `kubeconfig: ${plan.kubeconfig.host}:${plan.kubeconfig.path}, rewritten for ${plan.kubeconfig.server} ` +
    `as ${plan.kubeconfig.name}`,
  ];
}
