#!/usr/bin/env bash
# The one command to test CTPF: installs what the tests need, checks format, lint, types and that the
# generated code is current, runs every test (root-only tests run when root), smoke-tests the bundle,
# and ends with the line "N passed, N failed" (checks count as tests).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export NO_COLOR=1 PATH="$PWD/node_modules/.bin:$PATH"
passed=0 failed=0
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
# Test namespaces that a killed earlier run left behind (their owner PID is gone) are ours to remove
# before the host is recorded; the tests' own sweep would otherwise count as a change to the host.
sweep_stale_test_namespaces() {
  local name pid
  for name in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
    [[ $name =~ ^ctpf-t-([0-9]+)- ]] || continue
    pid=${BASH_REMATCH[1]}
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "removing test namespace $name left by a finished run (PID $pid)"
      ip netns delete "$name" 2>/dev/null
    fi
  done
}
sweep_stale_test_namespaces
# The host as the tests find it; the last check says, in one line, what they changed or left behind.
bash scripts/host_state.sh >"$log_dir/host.before"
host_untouched() {
  bash scripts/host_state.sh >"$log_dir/host.after"
  local changes
  changes=$(diff "$log_dir/host.before" "$log_dir/host.after" | sed -n 's/^< /gone: /p; s/^> /new: /p' | paste -sd ';')
  if [ -n "$changes" ]; then
    echo "the tests changed the host: ${changes//;/; }"
    return 1
  fi
}

step() { # step NAME COMMAND… — one check, counted
  local name=$1
  shift
  local started=$SECONDS
  if "$@" >"$log_dir/step.log" 2>&1; then
    passed=$((passed + 1))
    echo "check $name ... ok ($((SECONDS - started))s)"
  else
    failed=$((failed + 1))
    echo "check $name ... FAILED ($((SECONDS - started))s)"
    tail -n 40 "$log_dir/step.log"
  fi
}

generated_is_current() {
  bash scripts/gen.sh && git diff --exit-code --stat -- core/api/gen web/assets.gen.ts &&
    [ -z "$(git status --porcelain -- core/api/gen web/assets.gen.ts)" ]
}

# The frame path's Rust crate: its own tests run natively wherever cargo is (rustup's host toolchain or
# Debian's); the embedded module must be the committed .wasm, and, where Debian's wasm32 toolchain is
# installed (libstd-rust-dev-wasm32 puts its std in /usr/lib/rustlib/wasm32-unknown-unknown; linking needs
# lld-14 too), rebuilding it must give the same bytes.
wasm_crate_tests() { PATH="$PATH:$HOME/.cargo/bin" cargo test --offline --quiet --manifest-path wasm/Cargo.toml; }
wasm_rebuild_identical() {
  local committed status
  committed=$(mktemp) || return 1
  cp wasm/gloeth_frame_path.wasm "$committed" && bash scripts/wasm.sh && cmp "$committed" wasm/gloeth_frame_path.wasm
  status=$?
  rm -f "$committed"
  return "$status"
}
if PATH="$PATH:$HOME/.cargo/bin" command -v cargo >/dev/null; then
  step wasm-crate-tests wasm_crate_tests
else
  echo "check wasm-crate-tests ... skipped (no cargo)"
fi
step wasm-embedded-current deno run --allow-read scripts/gen_wasm_module.ts --check
if [ -d /usr/lib/rustlib/wasm32-unknown-unknown ]; then
  step wasm-rebuild-identical wasm_rebuild_identical
else
  echo "check wasm-rebuild-identical ... skipped (Debian's libstd-rust-dev-wasm32 is not installed)"
fi
step fmt deno fmt --check
step lint deno lint
step types deno task check
step generated-code-current generated_is_current
step bundle-smoke bash -c "deno task bundle && deno run --allow-all scripts/bundle_smoke.ts"

# A hung test must not eat CI's budget: each run of the suite gets 26 minutes.
deno_test() { timeout --kill-after=30 1560 deno test --allow-all "$@" 2>&1; }
# The builders', the network-boot and the deployers' host tests spend their time in Docker builds,
# single-threaded qemu boots and debootstrap (the deployers' test hosts, ~4 min on a fresh machine): with
# no arguments they run as a second deno test beside the rest (its own PID, so its own test namespaces),
# which keeps the whole run inside CI's budget on two cores. Their output follows the rest's.
builders_tests=(core/builders tests/builders tests/e2e core/deploy tests/deploy)
if [ $# -eq 0 ]; then
  deno_test "${builders_tests[@]}" >"$log_dir/builders.log" &
  builders_pid=$!
  deno_test --ignore="$(IFS=,; echo "${builders_tests[*]}")" | tee "$log_dir/test.log"
  wait "$builders_pid"
  echo "----- the builders' and network-boot tests, run beside the rest -----"
  cat "$log_dir/builders.log"
  runs=("$log_dir/test.log" "$log_dir/builders.log")
else
  deno_test "$@" | tee "$log_dir/test.log"
  runs=("$log_dir/test.log")
fi
step host-untouched host_untouched
for run in "${runs[@]}"; do
  summary=$(grep -a -E '^(ok|FAILED) \| [0-9]+ passed' "$run" | tail -n 1)
  if [ -z "$summary" ]; then
    failed=$((failed + 1))
    echo "deno test printed no summary ($(basename "$run"))"
  else
    passed=$((passed + $(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")))
    failed=$((failed + $(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$summary")))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
