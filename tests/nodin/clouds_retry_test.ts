/** How long the shared retry waits: Retry-After in seconds or as an HTTP date, else RateLimit-Reset. */
import { waitAsked } from "../../core/nodin/clouds/retry.ts";
import { assertStrictEquals } from "../support/assert.ts";

const now = Date.parse("2025-01-01T00:00:00Z");
const answer = (headers: Record<string, string>) => new Response(null, { status: 429, headers });

Deno.test("retry wait: Retry-After seconds", () => {
  assertStrictEquals(waitAsked(answer({ "Retry-After": "7" }), now), 7_000);
});

Deno.test("retry wait: Retry-After as an HTTP date, never negative", () => {
  assertStrictEquals(waitAsked(answer({ "Retry-After": "Wed, 01 Jan 2025 00:00:03 GMT" }), now), 3_000);
  assertStrictEquals(waitAsked(answer({ "Retry-After": "Tue, 31 Dec 2024 23:59:00 GMT" }), now), 0);
});

Deno.test("retry wait: RateLimit-Reset epoch seconds when there is no Retry-After; nothing when neither", () => {
  assertStrictEquals(waitAsked(answer({ "RateLimit-Reset": String(now / 1000 + 30) }), now), 30_000);
  assertStrictEquals(
    waitAsked(answer({ "Retry-After": "2", "RateLimit-Reset": String(now / 1000 + 30) }), now),
    2_000,
  );
  assertStrictEquals(waitAsked(answer({}), now), undefined);
});
