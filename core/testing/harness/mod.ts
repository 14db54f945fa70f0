// core/testing/harness: network namespaces, links and processes for integration tests, always cleaned up.

export { Lab, withLab } from "./lab.ts";
export { createNetns, deleteNetns, listNetns, Netns, sweepStaleNetns } from "./netns.ts";
export {
  addAddress,
  addBridge,
  addTap,
  addVeth,
  disableIPv6,
  flushAddresses,
  macOf,
  routes,
  setMaster,
  setUp,
} from "./links.ts";
export {
  BackgroundProcess,
  CommandError,
  inNetns,
  isAlive,
  run,
  type RunOptions,
  type RunResult,
  spawnBackground,
  type SpawnOptions,
} from "./process.ts";
export { isRoot, requireRoot, requireTools, ROOT_TAG, rootTest, type RootTestDefinition } from "./root.ts";
export { checkInterfaceName, LAB_PREFIX, ownerPid, uniqueName } from "./names.ts";
export { deadline, settlesWithin, sleep, waitFor, type WaitForOptions, withTimeout } from "./wait.ts";
