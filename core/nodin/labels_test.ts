import { assert, assertEquals } from "../testing/assert.ts";
import { labelErrors, type LabelSelector, parseSelector, selects } from "./labels.ts";

function selector(text: string): LabelSelector {
  const parsed = parseSelector(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

Deno.test("nodin labels: a selector's terms must all hold", () => {
  const labels = { rack: "a", role: "worker", gpu: "" };
  assert(selects(selector(""), labels));
  assert(selects(selector("rack=a"), labels));
  assert(selects(selector("rack==a, role!=spare"), labels));
  assert(selects(selector("gpu,!retired"), labels));
  assert(!selects(selector("rack=b"), labels));
  assert(!selects(selector("!gpu"), labels));
  assert(!selects(selector("rack=a,missing"), labels));
  assert(selects(selector("missing!=x"), labels));
});

Deno.test("nodin labels: wrong selectors and labels say why", () => {
  assertEquals(parseSelector("!rack=a"), { error: '"!rack=a": "!" goes only before a bare key' });
  assertEquals(parseSelector("ra ck"), { error: '"ra ck" is not a label key' });
  assertEquals(parseSelector("rack=a b"), { error: '"a b" is not a label value' });
  assertEquals(labelErrors({ ok: "yes", "-bad": "x", rack: "a/b" }, "labels").map((e) => e.field), [
    "labels.-bad",
    "labels.rack",
  ]);
});
