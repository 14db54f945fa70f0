#!/usr/bin/env bash
# deno task bench: micro-benchmarks (deno bench), then the side-by-side comparisons with the peer tools
# (root; each says which Debian packages it needs when they are missing).
set -uo pipefail
cd "$(dirname "$0")/.."
deno=node_modules/.bin/deno
"$deno" bench --allow-all bench/
for comparison in bench/compare/*.ts; do
  echo "== $comparison"
  "$deno" run --allow-all "$comparison" || echo "($comparison did not run to the end)"
done
