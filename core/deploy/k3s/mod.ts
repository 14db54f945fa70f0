// The k3sdeployer's pure core, for the SSH executor and the DeployService to wire: check an inventory,
// build the plan, describe it, pick the activation commands, fetch a release binary, make the token once,
// rewrite the fetched kubeconfig, and list what to remove when hosts leave; and the run on real hosts
// through core/deploy/ssh (deployK3s, uninstallK3s).
export { activationCommands, type StepChanges } from "./activation.ts";
export { type Architecture, k3sArchOf } from "./architecture.ts";
export { deployK3s, type K3sControllerStep, type K3sDeployOptions, type K3sDeployResult } from "./deploy.ts";
export { describeHostPlan, describeK3sPlan } from "./describe.ts";
export {
  type AirgapArtifacts,
  DEFAULT_OVERLAY_INTERFACE,
  DEFAULT_OVERLAY_UNIT,
  type K3sHost,
  type K3sInventory,
  type K3sInventoryInput,
  parseK3sInventory,
} from "./inventory.ts";
export { readK3sInventoryFile } from "./inventory_file.ts";
export { type KubeconfigTarget, rewriteKubeconfig } from "./kubeconfig.ts";
export { buildK3sPlan } from "./plan.ts";
export type {
  CommandCondition,
  K3sHostPlan,
  K3sPlan,
  PlannedCommand,
  PlannedContent,
  PlannedFile,
  UninstallStep,
} from "./plan_types.ts";
export { fetchVerified } from "./release_download.ts";
export { type K3sRemoval, removalsBetween } from "./removal.ts";
export { ensureClusterToken } from "./token.ts";
export { type K3sUninstallOptions, uninstallK3s } from "./uninstall_cluster.ts";
