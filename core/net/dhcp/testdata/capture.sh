#!/bin/bash
# Regenerates the DHCP messages in captures.ts. Run as root on a scratch machine: every client, server and
# relay runs inside network namespaces created and deleted here, joined by veth pairs (and a TAP for the
# PXE firmware); no DHCP client or server ever touches a host interface.
# Needs (Debian 12): iproute2 tcpdump busybox isc-dhcp-client dnsmasq-base dhcpcd-base isc-dhcp-relay,
# and for the PXE captures qemu-system-x86 ipxe-qemu seabios ovmf.
# Writes *.pcap into the current directory; print the DHCP payloads with
#   deno run --allow-read core/net/dhcp/testdata/extract.ts *.pcap
#
# Topology:
#   C:vC  02:00:00:00:05:0c  --  S:vS  02:00:00:00:05:01 10.99.5.1/24 (dnsmasq or udhcpd)
#   C:vCr 02:00:00:00:07:0c  --  R:vRc 10.99.7.1/24  [dhcrelay -a]  R:vRs 10.99.6.2/24 -- S:vSr 10.99.6.1/24
#   P:tapP (qemu e1000 / virtio-net guest 52:54:00:00:08:0c)          P: 10.99.8.1/24 (dnsmasq)
set -u
S=ctpfdhcpS; C=ctpfdhcpC; R=ctpfdhcpR; P=ctpfdhcpP
T=$(mktemp -d /tmp/ctpfdhcp.XXXXXX)
BG=()
cleanup() {
  for pid in "${BG[@]}"; do kill "$pid" 2>/dev/null; done
  sleep 0.3
  for ns in $S $C $R $P; do ip netns del $ns 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
trap "exit 130" INT TERM
for ns in $S $C $R $P; do ip netns del $ns 2>/dev/null; done
for ns in $S $C $R $P; do ip netns add $ns; ip -n $ns link set lo up; done

ip link add vC netns $C address 02:00:00:00:05:0c type veth peer name vS netns $S address 02:00:00:00:05:01
ip link add vCr netns $C address 02:00:00:00:07:0c type veth peer name vRc netns $R address 02:00:00:00:07:01
ip link add vRs netns $R address 02:00:00:00:06:02 type veth peer name vSr netns $S address 02:00:00:00:06:01
ip -n $S addr add 10.99.5.1/24 dev vS
ip -n $S addr add 10.99.6.1/24 dev vSr
ip -n $R addr add 10.99.7.1/24 dev vRc
ip -n $R addr add 10.99.6.2/24 dev vRs
for l in "$S vS" "$S vSr" "$C vC" "$C vCr" "$R vRc" "$R vRs"; do set -- $l; ip -n $1 link set $2 up; done
ip -n $S route add 10.99.7.0/24 via 10.99.6.2
sleep 1

# --- client hook scripts: configure the address so unicast RELEASEs can be sent from it ---
cat >$T/udhcpc.sh <<'EOF'
#!/bin/sh
case "$1" in
  deconfig) ip addr flush dev "$interface" ;;
  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface" ;;
esac
exit 0
EOF
cat >$T/dhclient.sh <<'EOF'
#!/bin/sh
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT) ip addr flush dev "$interface"; ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
  RELEASE|EXPIRE|FAIL|STOP) ip addr flush dev "$interface" ;;
esac
exit 0
EOF
chmod +x $T/udhcpc.sh $T/dhclient.sh

cat >$T/dhclient.conf <<'EOF'
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
send host-name "ctpf-dhclient";
send vendor-class-identifier "ctpf-dhclient";
request subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers,
  domain-search, host-name, ntp-servers, rfc3442-classless-static-routes, interface-mtu;
EOF

cat >$T/dhcpcd.conf <<'EOF'
hostname ctpf-dhcpcd
duid
vendorclassid ctpf-dhcpcd
option domain_name_servers, domain_name, domain_search, host_name, classless_static_routes, ntp_servers
require dhcp_server_identifier
ipv4only
noipv4ll
release
EOF

# dhcpcd runs hook scripts that rewrite the host's /etc/resolv.conf (a network namespace does not isolate
# files), and keeps state in /var/lib/dhcpcd and /run/dhcpcd. So it runs with no hooks (-c /bin/true), in
# a private mount namespace over scratch copies of those paths, and in a private PID namespace so that its
# privilege-separation helpers (which ignore SIGTERM) die with it.
mkdir -p $T/var-lib-dhcpcd $T/run-dhcpcd /var/lib/dhcpcd /run/dhcpcd
: >$T/resolv.conf
isolated() { # bash command line
  timeout -s KILL 30 unshare --mount --propagation private --pid --fork --kill-child bash -c "
    mount --bind $T/var-lib-dhcpcd /var/lib/dhcpcd && mount --bind $T/run-dhcpcd /run/dhcpcd &&
    mount --bind $T/resolv.conf /etc/resolv.conf && $1"
}

# --- servers ---
dnsmasq_conf() { # name, extra lines...
  local name=$1; shift
  {
    echo "port=0"
    echo "user=root"
    echo "interface=vS"
    echo "interface=vSr"
    echo "bind-interfaces"
    echo "dhcp-authoritative"
    echo "log-dhcp"
    echo "dhcp-leasefile=$T/$name.leases"
    echo "pid-file=$T/$name.pid"
    printf '%s\n' "$@"
  } >$T/$name.conf
}
dnsmasq_conf dnsmasq \
  "dhcp-range=10.99.5.100,10.99.5.149,255.255.255.0,1h" \
  "dhcp-range=set:relayed,10.99.7.100,10.99.7.149,255.255.255.0,1h" \
  "dhcp-option=option:router,10.99.5.1" \
  "dhcp-option=tag:relayed,option:router,10.99.7.1" \
  "dhcp-option=option:dns-server,10.99.5.1,10.99.5.2" \
  "dhcp-option=option:domain-name,ctpf.test" \
  "dhcp-option=option:ntp-server,10.99.5.1" \
  "dhcp-option-force=option:domain-search,ctpf.test,lab.ctpf.test,example.org" \
  "dhcp-option-force=option:classless-static-route,10.0.0.0/8,10.99.5.1,192.168.32.0/20,10.99.5.2" \
  "dhcp-option-force=66,tftp.ctpf.test" \
  "dhcp-option-force=67,pxelinux.0" \
  "dhcp-option-force=150,10.99.5.1,10.99.5.2" \
  "dhcp-option-force=43,01:04:0a:63:05:01:02:04:63:74:70:66"
# Many forced options: more than fits a 576-byte reply, so dnsmasq spills into sname/file with option 52.
dnsmasq_conf overload \
  "dhcp-range=10.99.5.100,10.99.5.149,255.255.255.0,1h" \
  "dhcp-option=option:router,10.99.5.1" \
  "dhcp-option=option:dns-server,10.99.5.1,10.99.5.2,10.99.5.3,10.99.5.4" \
  "dhcp-option-force=option:domain-search,ctpf.test,lab.ctpf.test,rack1.lab.ctpf.test,rack2.lab.ctpf.test,rack3.lab.ctpf.test,storage.ctpf.test,example.org,example.net,example.com,build.ctpf.test,monitoring.ctpf.test,backup.storage.ctpf.test,dev.example.org" \
  "dhcp-option-force=option:classless-static-route,10.0.0.0/8,10.99.5.1,10.1.0.0/16,10.99.5.2,10.2.3.0/24,10.99.5.3,10.4.5.6/32,10.99.5.4,10.5.0.0/20,10.99.5.2,10.6.0.0/17,10.99.5.3,10.7.7.0/25,10.99.5.4,172.16.0.0/12,10.99.5.1,192.168.0.0/16,10.99.5.1,0.0.0.0/0,10.99.5.1" \
  "dhcp-option-force=66,tftp.boot.ctpf.test" \
  "dhcp-option-force=150,10.99.5.1,10.99.5.2,10.99.5.3,10.99.5.4" \
  "dhcp-option-force=43,01:20:63:74:70:66:2d:76:65:6e:64:6f:72:2d:73:70:65:63:69:66:69:63:2d:69:6e:66:6f:72:6d:61:74:69:6f:6e:2d:2d" \
  "dhcp-option-force=option:ntp-server,10.99.5.1,10.99.5.2" \
  "dhcp-option-force=option:root-path,/srv/nfs/ctpf/root/for/a/rather/long/path/name" \
  "dhcp-boot=/boot/ctpf/a-long-boot-file-name-that-moves-to-option-67.efi"

cat >$T/udhcpd.conf <<EOF
start 10.99.5.160
end 10.99.5.199
interface vS
lease_file $T/udhcpd.leases
pidfile $T/udhcpd.pid
max_leases 40
siaddr 10.99.5.1
sname ctpf-boot
boot_file /boot/ctpf.efi
static_lease 02:00:00:00:05:0d 10.99.5.222
option subnet 255.255.255.0
option router 10.99.5.1
option dns 10.99.5.1
option domain ctpf.test
option search ctpf.test lab.ctpf.test
option staticroutes 10.0.0.0/8 10.99.5.1
option lease 600
EOF
touch $T/udhcpd.leases

start_dnsmasq() { # config name
  ip netns exec $S dnsmasq --keep-in-foreground --conf-file=$T/$1.conf --log-facility=$T/$1.log & DNSMASQ=$!
  BG+=($DNSMASQ)
  sleep 1
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

cap() { # name, namespace, interface, command...
  local name=$1 ns=$2 dev=$3; shift 3
  ip netns exec $ns tcpdump -i $dev -U -n -s 0 -w $name.pcap 'udp port 67 or udp port 68' >/dev/null 2>&1 &
  local tp=$!
  sleep 0.7
  "$@"
  sleep 0.7
  kill $tp; wait $tp 2>/dev/null
}

# 1. busybox udhcpc against dnsmasq: DISCOVER OFFER REQUEST ACK, then SIGUSR2 makes it send a RELEASE
#    (-q -R would quit before reaching the bound state, and so release nothing).
start_dnsmasq dnsmasq
cap udhcpc-dnsmasq $C vC bash -c "
  timeout 20 ip netns exec $C busybox udhcpc -i vC -f -n -t 3 -T 2 -p $T/udhcpc.pid -s $T/udhcpc.sh -x hostname:ctpf-udhcpc \
    -V ctpf-udhcpc -O 42 -O 66 -O 67 -O 119 -O 121 -O 150 -O 43 >$T/udhcpc.log 2>&1 & p=\$!
  for i in \$(seq 50); do grep -qs obtained $T/udhcpc.log && break; sleep 0.2; done
  sleep 0.5
  kill -USR2 \$(cat $T/udhcpc.pid)
  sleep 1
  kill \$p 2>/dev/null; wait \$p 2>/dev/null; cat $T/udhcpc.log; true"

# 2. ISC dhclient against dnsmasq: one lease, then `dhclient -r` sends RELEASE.
cap dhclient-dnsmasq $C vC bash -c "
  timeout 20 ip netns exec $C dhclient -4 -1 -d -v -cf $T/dhclient.conf -sf $T/dhclient.sh \
    -lf $T/dhclient.leases -pf $T/dhclient.pid vC >$T/dhclient.log 2>&1 & p=\$!
  for i in \$(seq 50); do grep -qs bound $T/dhclient.log && break; sleep 0.2; done
  sleep 0.5
  timeout 10 ip netns exec $C dhclient -4 -r -v -cf $T/dhclient.conf -sf $T/dhclient.sh \
    -lf $T/dhclient.leases -pf $T/dhclient.pid vC >>$T/dhclient.log 2>&1
  kill \$p 2>/dev/null; wait \$p 2>/dev/null; true"
ip -n $C addr flush dev vC

# 3. dhcpcd INFORM for an address configured by hand (`--inform=ADDR/CIDR` crashes dhcpcd 9.4.1);
#    dnsmasq answers with an ACK.
ip -n $C addr add 10.99.5.77/24 dev vC
cap dhcpcd-inform $C vC isolated "timeout 20 ip netns exec $C dhcpcd -B -4 -1 -c /bin/true \
  -f $T/dhcpcd.conf --noarp --inform vC"
ip -n $C addr flush dev vC

# 4. udhcpc through ISC dhcrelay -a: captured on the server's side (giaddr, option 82 both ways) and the
#    client's side (option 82 stripped again by the relay).
ip netns exec $R dhcrelay -4 -d --no-pid -a -id vRc -iu vRs 10.99.6.1 >$T/dhcrelay.log 2>&1 & RELAY=$!
BG+=($RELAY)
sleep 1
ip netns exec $C tcpdump -i vCr -U -n -s 0 -w relay-client.pcap 'udp port 67 or udp port 68' >/dev/null 2>&1 &
TPC=$!
cap relay-server $S vSr timeout 20 ip netns exec $C busybox udhcpc -i vCr -f -q -n -t 3 -T 2 \
  -s $T/udhcpc.sh -x hostname:ctpf-relayed
kill $TPC; wait $TPC 2>/dev/null
stop $RELAY
stop $DNSMASQ

# 5. dnsmasq filling a 576-byte reply: overload into file and sname (dhclient sends no option 57).
start_dnsmasq overload
cap overload $C vC bash -c "
  timeout 20 ip netns exec $C dhclient -4 -1 -d -v -cf $T/dhclient.conf -sf $T/dhclient.sh \
    -lf $T/dhclient2.leases -pf $T/dhclient2.pid vC >$T/dhclient2.log 2>&1 & p=\$!
  for i in \$(seq 50); do grep -qs bound $T/dhclient2.log && break; sleep 0.2; done
  kill \$p 2>/dev/null; wait \$p 2>/dev/null; true"
ip -n $C addr flush dev vC
stop $DNSMASQ

# 6. dhcpcd (RFC 4361 client identifier) against busybox udhcpd (BOOTP sname/file filled), with RELEASE.
ip netns exec $S busybox udhcpd -f $T/udhcpd.conf >$T/udhcpd.log 2>&1 & UDHCPD=$!
BG+=($UDHCPD)
sleep 1
cap dhcpcd-udhcpd $C vC isolated "
  ip netns exec $C dhcpcd -B -4 -c /bin/true -f $T/dhcpcd.conf --noarp vC >$T/dhcpcd.log 2>&1 & p=\$!
  for i in \$(seq 75); do grep -qs 'leased' $T/dhcpcd.log && break; sleep 0.2; done
  sleep 0.5
  timeout 10 ip netns exec $C dhcpcd -4 -k vC >>$T/dhcpcd.log 2>&1
  sleep 1; kill \$p 2>/dev/null; wait \$p 2>/dev/null; true"
ip -n $C addr flush dev vC

# 7. DECLINE: udhcpd's static lease 10.99.5.222 is also configured on the server's interface, so
#    udhcpc's ARP check (-a) finds it in use.
ip -n $S addr add 10.99.5.222/24 dev vS
ip -n $C link set vC down; ip -n $C link set vC address 02:00:00:00:05:0d; ip -n $C link set vC up
sleep 1
cap udhcpc-decline $C vC timeout 8 ip netns exec $C busybox udhcpc -i vC -f -n -t 1 -T 2 -a \
  -s $T/udhcpc.sh -x hostname:ctpf-decline
stop $UDHCPD

# 8. PXE firmware against dnsmasq: the iPXE ROM under SeaBIOS (e1000), then EDK2's own PXE under OVMF.
if command -v qemu-system-x86_64 >/dev/null; then
  ip -n $P tuntap add dev tapP mode tap
  ip -n $P addr add 10.99.8.1/24 dev tapP
  ip -n $P link set tapP up
  cat >$T/pxe.conf <<EOF
port=0
user=root
interface=tapP
bind-interfaces
log-dhcp
dhcp-leasefile=$T/pxe.leases
dhcp-range=10.99.8.100,10.99.8.149,255.255.255.0,1h
dhcp-match=set:ipxe,175
dhcp-boot=tag:ipxe,http://10.99.8.1/boot.ipxe
dhcp-boot=tag:!ipxe,undionly.kpxe
EOF
  ip netns exec $P dnsmasq --keep-in-foreground --conf-file=$T/pxe.conf --log-facility=$T/pxe.log & PXED=$!
  BG+=($PXED)
  sleep 1
  cap ipxe $P tapP timeout 25 ip netns exec $P qemu-system-x86_64 -machine pc -m 128 -nographic \
    -serial none -monitor none -display none -boot n \
    -netdev tap,id=n0,ifname=tapP,script=no,downscript=no -device e1000,netdev=n0,mac=52:54:00:00:08:0c
  cap edk2 $P tapP timeout 45 ip netns exec $P qemu-system-x86_64 -machine q35 -m 256 -nographic \
    -serial none -monitor none -display none -boot n -bios /usr/share/qemu/OVMF.fd \
    -netdev tap,id=n0,ifname=tapP,script=no,downscript=no \
    -device virtio-net-pci,netdev=n0,mac=52:54:00:00:08:0d,romfile=
  stop $PXED
fi
ls -l *.pcap
