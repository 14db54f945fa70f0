// core/deploy/gloeth: the gloethdeployer. gloeth on N hosts over SSH (core/deploy/ssh): the release
// archive for each host's architecture, each node's certificate made on the controller (the network key
// never leaves it), the flags and the unit; then a check that every node reaches every other over the
// overlay. A second run changes nothing; a host added is joined; a host removed is revoked.
//
//   const inventory = await readGloethInventoryFile("mesh.json");
//   const release = await readGloethRelease("dist/release");
//   const result = await deployGloeth(inventory, { knownHosts, release, gloeth: ["gloeth"], plan });
//   console.log(describeGloethPlan(result.plan).join("\n"));
export { applyHostPlan, archiveFor, type ControllerFiles, stopRemovedNode } from "./apply.ts";
export { Controller, type NodeRecord } from "./controller.ts";
export {
  type ControllerStep,
  deployGloeth,
  type GloethDeployOptions,
  type GloethDeployResult,
} from "./deploy.ts";
export { describeGloethPlan, describeHostPlan } from "./describe.ts";
export { renderEnvFile } from "./env_file.ts";
export {
  type GloethHost,
  type GloethInventory,
  type GloethInventoryInput,
  parseGloethInventory,
} from "./inventory.ts";
export { readGloethInventoryFile } from "./inventory_file.ts";
export { checkMesh, type MeshReach, pingScript } from "./mesh_check.ts";
export { buildGloethPlan, type ControllerView } from "./plan.ts";
export type { GloethHostPlan, GloethPlan, GloethRemoval, PlannedContent, PlannedFile } from "./plan_types.ts";
export { type GloethRelease, readGloethRelease, type ReleaseArchive } from "./release.ts";
