#!/usr/bin/env bash
# Regenerates everything generated that is committed: protobuf code (buf + protoc-gen-es) and the web
# UI bundle. CI runs it and fails when the tree changes, so generated code is always current.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin
"$bin/buf" lint
"$bin/buf" generate
"$bin/deno" run --allow-read --allow-write --allow-run --allow-env scripts/build_web.ts
