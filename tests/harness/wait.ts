// The waits live in core/testing/harness, where core's own tests can reach them without importing tests/.
export * from "../../core/testing/harness/wait.ts";
