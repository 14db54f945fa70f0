#!/usr/bin/env bash
# Installs what CTPF needs on a fresh Debian machine of this kind: the pinned npm tools (Deno, buf,
# protoc-gen-es, playwright-core) and, with --test, the Debian packages the tests drive (real clients,
# namespaces, Chromium). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: npm is missing; install Node.js and npm (apt-get install nodejs npm) and run again" >&2
    exit 1
  fi
  echo "setup: apt-get install nodejs npm" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi

if [ ! -x node_modules/.bin/deno ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (Deno and tools from the npm registry)" >&2
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error >&2
fi

if [ "${1:-}" = "--test" ]; then
  # iproute2: namespaces, veth, TAP; tcpdump/socat/iputils: real peers; chromium: UI tests; busybox,
  # isc-dhcp-client/-relay, dnsmasq-base: real DHCP clients, relay and a peer server; curl: HTTP/TFTP
  # client; qemu-system-x86, ipxe-qemu, seabios, gcc, libc6-dev: the network-boot tests' machine and init;
  # tshark: Wireshark's dissectors judge captures (Wake-on-LAN); libwireshark-data: the IEEE vendor and
  # IANA service registries liwasc's generated tables are checked against; iperf3: streams over gloeth;
  # libsodium23: the second audited ChaCha20-Poly1305 the WASM frame path is checked against.
  packages=(iproute2 tcpdump socat iputils-ping iputils-arping chromium fonts-dejavu-core busybox
    isc-dhcp-client isc-dhcp-relay dnsmasq-base curl qemu-system-x86 ipxe-qemu seabios gcc libc6-dev
    tshark libwireshark-data iperf3 libsodium23)
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "setup: not root, cannot install: ${missing[*]} (tests that need them will be skipped)" >&2
    else
      echo "setup: apt-get install ${missing[*]}" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
  fi
  # Peer clients the comparison tests run against when they can be had (nmap's verdicts, the tftp-hpa and
  # atftp clients, rclone's WebDAV backend). Best effort: where the package mirror cannot be reached, the
  # tests that need them say so and are skipped. Clients only: none of these starts a daemon.
  optional=(nmap arp-scan tftp-hpa atftp rclone)
  absent=()
  for package in "${optional[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || absent+=("$package")
  done
  if [ "${#absent[@]}" -gt 0 ] && [ "$(id -u)" -eq 0 ]; then
    echo "setup: apt-get install ${absent[*]} (optional)" >&2
    if ! { apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${absent[@]}" >&2; }; then
      echo "setup: optional peers not installed: ${absent[*]} (their comparison tests will be skipped)" >&2
    fi
  fi
fi
