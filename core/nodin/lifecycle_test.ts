import { InputError } from "../errors/input_error.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { canStep, checkStep, lifecycles } from "./lifecycle.ts";

Deno.test("nodin lifecycle: forward steps are legal, skipping ahead and leaving retirement are not", () => {
  for (let i = 0; i + 1 < lifecycles.length; i++) {
    assert(canStep(lifecycles[i], lifecycles[i + 1]), `${lifecycles[i]} → ${lifecycles[i + 1]}`);
  }
  for (const from of lifecycles.filter((state) => state !== "retired")) assert(canStep(from, "retired"));
  assert(!canStep("discovered", "deployed"));
  assert(!canStep("retired", "ready"));
  assert(canStep("retired", "enrolled"));
  assert(!canStep("ready", "ready"));
});

Deno.test("nodin lifecycle: checkStep names the field and the legal steps", () => {
  const illegal = assertThrows(() => checkStep("discovered", "deployed"), InputError) as InputError;
  assertEquals([illegal.field, illegal.kind], ["lifecycle", "precondition"]);
  assertEquals(
    illegal.reason,
    "a discovered node cannot become deployed (from discovered: enrolled, retired)",
  );
  const unknown = assertThrows(() => checkStep("ready", "broken", "to"), InputError) as InputError;
  assertEquals([unknown.field, unknown.kind], ["to", "invalid"]);
  assertEquals(checkStep("ready", "deployed"), "deployed");
});
