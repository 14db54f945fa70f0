// The harness lives in core/testing/harness, where core's own tests can reach it without importing tests/.
export * from "../../core/testing/harness/mod.ts";
