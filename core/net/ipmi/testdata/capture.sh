#!/usr/bin/env bash
# Recaptures the exchanges in captures.ts: two throwaway namespaces joined by a veth, python3-pyghmi's
# fakebmc (admin/password) on 10.77.0.2:623 and openipmi's ipmi_sim (admin/s3cret) on 10.77.0.2:624,
# ipmitool and ipmipower in the other namespace, tcpdump on the client's veth. Prints captures.ts.
# Run as root; it removes everything it made on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
bmc=ipmicap-bmc-$$ cli=ipmicap-cli-$$
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  ip netns delete "$bmc" 2>/dev/null || true
  ip netns delete "$cli" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$bmc"; ip netns add "$cli"
ip -n "$bmc" link set lo up; ip -n "$cli" link set lo up
ip link add ipmicapa netns "$cli" type veth peer name ipmicapb netns "$bmc"
ip -n "$cli" addr add 10.77.0.1/24 dev ipmicapa; ip -n "$bmc" addr add 10.77.0.2/24 dev ipmicapb
ip -n "$cli" link set ipmicapa up; ip -n "$bmc" link set ipmicapb up

ip netns exec "$bmc" /usr/bin/python3 /usr/lib/python3/dist-packages/pyghmi/cmd/fakebmc.py --port 623 \
  >"$work/pyghmi.log" 2>&1 &
pids+=($!)
mkdir "$work/state"
cat >"$work/lan.conf" <<'CONF'
name "capture"
set_working_mc 0x20
  startlan 1
    addr 0.0.0.0 624
    priv_limit admin
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  user 2 true "admin" "s3cret" admin 10 none md2 md5 straight
CONF
printf '%s\n' 'mc_setbmc 0x20' 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr' \
  'mc_enable 0x20' >"$work/emu.cmd"
# ipmi_sim reads commands from stdin: a pipe that stays open keeps it running.
sleep 60 | ip netns exec "$bmc" ipmi_sim -c "$work/lan.conf" -f "$work/emu.cmd" -s "$work/state" \
  >"$work/sim.log" 2>&1 &
pids+=($!)
sleep 2 # both simulators bind within this

capture() {
  local name=$1
  shift
  ip netns exec "$cli" tcpdump -Z root -U --immediate-mode -i ipmicapa -w "$work/$name.pcap" udp >/dev/null 2>&1 &
  local dump=$!
  sleep 1
  "$@" >/dev/null 2>&1 || true
  sleep 0.5
  kill "$dump"; wait "$dump" 2>/dev/null || true
}
tool=(ip netns exec "$cli" ipmitool -I lanplus -C 3 -H 10.77.0.2)
capture pyghmi-c3-status "${tool[@]}" -U admin -P password power status
capture sim-c3-status "${tool[@]}" -p 624 -U admin -P s3cret power status
capture pyghmi-ipmipower ip netns exec "$cli" ipmipower -D LAN_2_0 -h 10.77.0.2 -u admin -p password --stat
capture sim-c3-wrongpw "${tool[@]}" -p 624 -U admin -P wrong power status
capture sim-c3-nouser "${tool[@]}" -p 624 -U nobody -P wrong power status
cd "$work" && /usr/bin/python3 "$here/captures_to_ts.py"
