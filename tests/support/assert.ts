// The assertions live in core/testing, where core's own tests can reach them without importing tests/.
export * from "../../core/testing/assert.ts";
