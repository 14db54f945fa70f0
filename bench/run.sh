#!/usr/bin/env bash
# deno task bench: micro-benchmarks (deno bench), then the side-by-side comparisons with the peer tools
# (root; `scripts/setup.sh --bench` installs the peers). Everything printed also goes to
# bench/results/<date>.txt with the machine it ran on; CTPF_BENCH_RUNS=N repeats the comparisons N times
# (default 1), since these machines are noisy. CTPF_BENCH_ONLY=<name> runs one comparison.
set -uo pipefail
cd "$(dirname "$0")/.."
deno=node_modules/.bin/deno
export NO_COLOR=1 # the output is kept as a text file
# atftpd is unpacked, not installed (it conflicts with tftpd-hpa): last on PATH, so in.tftpd stays tftpd-hpa's.
export PATH="$PATH:$PWD/.peers/atftpd/usr/sbin"
runs=${CTPF_BENCH_RUNS:-1}
mkdir -p bench/results
out=bench/results/$(date -u +%Y-%m-%dT%H%M).txt

machine() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')   commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with changes)')"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), Linux $(uname -r), $("$deno" --version | head -n 1)"
  local peer
  for peer in kea-dhcp4-server tftpd-hpa atftpd nginx-light wrk nmap arp-scan tinc wireguard-go openvpn iperf3 curl \
    ansible-core; do
    local version
    version=$(dpkg-query -W -f='${Version}' "$peer" 2>/dev/null)
    # atftpd is unpacked from its .deb, not installed: its version is in the unpacked changelog's name.
    [ -z "$version" ] && version=$(zcat ".peers/$peer/usr/share/doc/$peer/changelog.Debian.gz" 2>/dev/null |
      sed -n '1s/.*(\(.*\)).*/\1/p')
    printf '%s %s; ' "$peer" "${version:-?}"
  done
  echo
}

{
  machine
  if [ -z "${CTPF_BENCH_ONLY:-}" ]; then "$deno" bench --allow-all bench/; fi
  for run in $(seq 1 "$runs"); do
    for comparison in bench/compare/*.ts; do
      case "$comparison" in *"${CTPF_BENCH_ONLY:-}"*) ;; *) continue ;; esac
      echo "== $comparison (run $run of $runs, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
      "$deno" run --allow-all "$comparison" || echo "($comparison did not run to the end)"
    done
  done
} 2>&1 | tee "$out"
echo "bench: written to $out" >&2
