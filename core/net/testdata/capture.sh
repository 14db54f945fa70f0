#!/bin/bash
# Regenerates the frames in captures.ts. Run as root on a scratch machine: everything happens inside three
# network namespaces created and deleted here; no host interface is touched.
# Needs: iproute2 tcpdump iputils-ping iputils-arping socat ethtool netsniff-ng (mausezahn) python3-scapy.
# Writes *.pcap into the current directory; print the frames with `tcpdump -r X.pcap -nn -e -xx`.
set -u
A=ctpfnetA; R=ctpfnetR; B=ctpfnetB
cleanup() { ip netns del $A 2>/dev/null; ip netns del $R 2>/dev/null; ip netns del $B 2>/dev/null; }
cleanup
ip netns add $A; ip netns add $R; ip netns add $B
ip link add vA netns $A type veth peer name vRa netns $R
ip link add vB netns $B type veth peer name vRb netns $R
ip -n $A link set vA address 02:00:00:00:00:0a
ip -n $R link set vRa address 02:00:00:00:00:1a
ip -n $R link set vRb address 02:00:00:00:00:1b
ip -n $B link set vB address 02:00:00:00:00:0b
for ns in $A $R $B; do ip -n $ns link set lo up; done
ip -n $A link set vA up; ip -n $R link set vRa up; ip -n $R link set vRb up; ip -n $B link set vB up
ip -n $A addr add 10.99.0.1/24 dev vA
ip -n $R addr add 10.99.0.254/24 dev vRa
ip -n $R addr add 10.99.1.254/24 dev vRb
ip -n $B addr add 10.99.1.2/24 dev vB
ip -n $A route add default via 10.99.0.254
ip -n $B route add default via 10.99.1.254
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
for d in "$A vA" "$R vRa" "$R vRb" "$B vB"; do set -- $d; ip netns exec $1 ethtool -K $2 tx off rx off >/dev/null; done
sleep 1

cap() { # name, command...
  local name=$1; shift
  ip netns exec $A tcpdump -i vA -U -n -w $name.pcap >/dev/null 2>&1 & local tp=$!
  sleep 0.7
  "$@"
  sleep 0.7
  kill $tp; wait $tp 2>/dev/null
}
cap arp ip netns exec $A arping -c 1 -I vA 10.99.0.254
cap ping ip netns exec $A ping -c 1 -p 43545046 -s 16 10.99.1.2
cap udp bash -c "ip netns exec $B socat -u UDP4-RECV:5000 - >/dev/null & p=\$!; sleep 0.5; echo -n 'ctpf hello' | ip netns exec $A socat -u - UDP4-SENDTO:10.99.1.2:5000,sourceport=40000; sleep 0.5; kill \$p"
cap udpnocsum bash -c "echo -n 'nocsum' | ip netns exec $A socat -u - UDP4-SENDTO:10.99.0.254:5001,sourceport=40001,setsockopt-int=1:11:1"
cap portunreach bash -c "echo -n 'anyone?' | ip netns exec $A socat -u - UDP4-SENDTO:10.99.1.2:5999,sourceport=40002"
cap ttl ip netns exec $A ping -c 1 -t 1 -s 8 10.99.1.2
cap rr ip netns exec $A ping -c 1 -R -s 8 10.99.1.2
cap frag ip netns exec $A ping -c 1 -s 1600 -M dont 10.99.0.254
cap vlan ip netns exec $A mausezahn vA -q -c 1 -a 02:00:00:00:00:0a -b 02:00:00:00:00:1a -Q 5:10 -A 10.99.0.1 -B 10.99.0.254 -t udp "sp=40010,dp=5010" -P vlan10
cap qinq8100 ip netns exec $A mausezahn vA -q -c 1 -a 02:00:00:00:00:0a -b 02:00:00:00:00:1a -Q 100,20 -A 10.99.0.1 -B 10.99.0.254 -t udp "sp=40020,dp=5020" -P qinq
cap qinq88a8 ip netns exec $A /usr/bin/python3 -c "from scapy.all import *; sendp(Ether(src='02:00:00:00:00:0a',dst='02:00:00:00:00:1a')/Dot1AD(vlan=100)/Dot1Q(prio=3,vlan=20)/IP(src='10.99.0.1',dst='10.99.0.254')/UDP(sport=40030,dport=5030)/b'88a8',iface='vA',verbose=0)"
cleanup
ip netns list
