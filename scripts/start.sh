#!/usr/bin/env bash
# The one command to run CTPF on a fresh machine: install the pinned tools, then start the all-in-one
# node binary on its embedded defaults (API + web UI on http://127.0.0.1:8470, data in ~/.local/share/ctpf).
# Extra arguments go to the binary, e.g. scripts/start.sh --listen 127.0.0.1:9000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node_modules/.bin/deno run --allow-all cmd/ctpf.ts "$@"
