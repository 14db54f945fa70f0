#!/usr/bin/env bash
# Prints what the tests must leave as they found it, one line per item: the host's resolver and hosts
# files, the root network namespace's interfaces with their addresses, and the network namespaces.
# scripts/test.sh records this before the tests and compares it after them.
set -uo pipefail
for file in /etc/resolv.conf /etc/hosts; do
  echo "file $file $(sha256sum <"$file" 2>/dev/null | cut -c1-16 || echo absent)"
done
ip -o link show 2>/dev/null | awk -F': ' '{ split($2, name, "@"); print "interface " name[1] }' | sort
ip -o addr show 2>/dev/null | awk '{ print "address " $2 " " $4 }' | sort
ip netns list 2>/dev/null | awk '{ print "netns " $1 }' | sort
# systemd's tools write state here even when they only look (systemd-analyze, systemd-nspawn): tests run
# them with a private tmpfs over it (core/testing/private_run_systemd.ts).
find /run/systemd -maxdepth 2 2>/dev/null | sort | sed 's/^/run-systemd /'
