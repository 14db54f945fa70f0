// Which ports `top:N` scans first: our own ranking of what is commonly exposed on servers, routers,
// printers, NAS boxes, IoT devices and cluster nodes, tcp and udp separately. It is hand-curated from
// operational experience, not copied or derived from nmap's nmap-services frequencies (their licence is not ours).
//
// The curated lists cover the few hundred ports that matter in practice. Past them the ranking continues
// with every other port the IANA registry (services.gen.json) names for the protocol, in port order, and
// then with all remaining ports in port order, so `top:N` is defined for every N up to 65535.
import { registeredPorts } from "../services/lookup.ts";
import type { TransportProtocol } from "../services/services_data.ts";

/** Most likely open first; groups in rough order of how often each kind of host shows up on a scan. */
const TCP_TIERS: readonly string[] = [
  // Web, remote shells and desktops, mail, and the Windows file-sharing stack: open on most hosts that expose anything.
  "80 443 22 21 25 3389 110 445 139 143 53 135 3306 8080 23 993 995 587 111 8443",
  // VNC, PPTP, web admin panels and dev servers, the common databases, printers and NAS front ends.
  "5900 1723 465 8000 8888 5432 1433 2049 6379 27017 5985 5986 9100 631 515 548 5000 5001 8081 8008",
  // Active Directory domain controllers and Windows hosts (RPC endpoints, WSD, MSMQ, KMS, WSUS, clustering).
  "389 636 88 464 3268 3269 9389 593 49152 49153 49154 49155 49156 49157 1025 1026 1027 1028 1029 1030",
  "5357 2869 1801 2103 2105 2107 47001 1688 8530 8531 5722 3343 2179",
  // Routers, firewalls and CPE: BGP, TR-069, UPnP, MikroTik, NETCONF, routing daemons, VPN and SSL-VPN.
  "179 7547 1900 2000 8291 8728 8729 830 161 199 2601 2602 2603 2604 2605 4786 264 49 1194 10443 4443 541",
  // Alternate web ports: the admin interfaces of appliances and the HTTP side of applications.
  "8010 10000 81 82 8082 8083 8090 8181 8880 9000 9090 9091 9443 8088 8089 9080 8001 8002 7080",
  // Kubernetes control plane and nodes, container engines, swarm and CNI plugins.
  "6443 10250 2379 2380 10255 10256 10257 10259 10249 2375 2376 2377 7946 4194 9153 9099 5473 6783 6784",
  // Monitoring and logging agents and servers.
  "3000 9093 9115 9182 9256 3100 9411 16686 14268 4317 4318 24224 5044 9600 514 6514 601 10050 10051 5666",
  "5667 4949 6556 2003 2004 8086 8125 8126 9187 9104 9121 9216 19999 8428",
  // Service discovery, secrets, queues and streaming (Consul, Nomad, Vault, RabbitMQ, Kafka, NATS, MQTT).
  "8500 8300 8301 8302 8600 4646 4647 4648 8200 8201 5672 5671 15672 25672 4369 9092 9094 2181 2888 3888",
  "4222 6222 8222 1883 8883 61616 61613 8161 1414 9876 10911 7000 7001 7002",
  // More databases and search engines.
  "9200 9300 5601 11211 26379 6380 9042 9160 7199 1521 1522 5500 3050 33060 3307 5433 6432 26257 8529 7474",
  "7687 28015 29015 8091 8092 11210 5984 6984 8087 27018 27019 28017 8123 9009 8983 2480 50000",
  // Mail, news, chat, voice and messaging servers.
  "2525 4190 119 563 5222 5223 5269 5280 6667 6697 5060 5061 1720 3478 5349 1935 8554 554",
  // Printers, scanners, NAS and media boxes (Synology, QNAP, Plex, Jellyfin, DLNA, AirPlay, Sonos).
  "3260 860 873 6690 5005 5006 32400 8096 8920 1400 3689 62078 6000 5800 5901 5902",
  "3283 5631 1494 2598 9001 9002 8384 22000 51413 6881 8112 9117 7878 8989 8686 49000",
  // Cameras, DVRs and other IoT (RTSP, ONVIF, Dahua, Hikvision, Xiongmai, UPnP stacks of cheap routers).
  "37777 34567 8899 37215 52869 5555 5554 10001 7443 2323",
  // Industrial control and building automation.
  "502 102 20000 44818 1911 4840 2404 18245 1962 789 2455 5007 4911",
  // Application servers and frameworks (Tomcat AJP, WebLogic, GlassFish, WebSphere, JBoss, Java RMI).
  "8009 8005 4848 9043 9060 9990 1099 4444 8180 9081 9082",
  // Development servers and debuggers that end up exposed.
  "3001 4000 4200 5173 8787 9229 6006 8265 4040 7077 8042 8032 9870 9864 50070 50075 8020 16010 60010",
  "8761 8848 9848 50051 8069 4567 3030 1337 5050 5051",
  // Virtualisation and out-of-band management (VMware, Proxmox, libvirt, WBEM, SLP, iLO, iDRAC, IPMI).
  "902 903 5480 8006 16509 16514 5988 5989 427 623 664 17988 17990 5120 5123 3668 3669 1311",
  // Storage clusters, backup and HPC nodes (NFS helpers, Gluster, Ceph, Slurm, Lustre, Bacula).
  "20048 4045 662 892 32803 875 24007 24008 6789 3300 6800 7480 9283 6817 6818 6819 988 9101 9102 9103",
  // Remote access, proxies and tunnels.
  "2222 2022 3128 8118 1080 9050 9051 1081 6001 6002 5938 7070 4899",
  // Classic Unix services, still seen on old and embedded hosts.
  "79 113 43 37 7 9 13 17 19 512 513 540 989 990 992 70 2121 3690 9418",
  // Games and voice chat servers.
  "25565 27015 27016 7777 7778 3724 6112 9987 10011 30033 64738 28960 2302 19132",
];

const UDP_TIERS: readonly string[] = [
  // Name, time, management and Windows name services, DHCP and TFTP: what answers on almost any network.
  "53 123 161 137 138 67 68 69 500 4500 1900 5353 514 162 520 1434 623 1812 1813 5060",
  // VPNs, discovery protocols, RPC and file services, RADIUS accounting and tunnels used by clusters.
  "1194 51820 1701 3702 5355 111 2049 631 427 1645 1646 4789 8472 6081 3478 3479 443 853 88 464",
  // Routers, switches and wireless controllers: routing, redundancy, flow export, CAPWAP, MikroTik, Ubiquiti.
  "521 646 1985 3784 4784 2055 9995 9996 4739 6343 5246 5247 5678 20561 10001 5351 5350 6831 8125",
  // IoT, cameras and building automation: CoAP, BACnet, Modbus gateways, EtherNet/IP, PROFINET, SADP, Lantronix.
  "5683 5684 47808 44818 2222 34962 34963 34964 37020 30718 20000 9600 1911 502 1883 5540",
  // Telephony and media: SIP variants, H.323, RTP/RTCP, GTP for mobile cores.
  "5061 1719 5004 5005 2152 2123 3386 1604 177 5632 17185",
  // Amplification classics that still answer on forgotten hosts.
  "11211 19 7 17 13 37 9 389 3283 10161 10162",
  // Games, voice chat, peer-to-peer and consoles.
  "27015 27016 19132 7777 3074 9987 64738 6881 3659 28960 25565 2302",
  // Windows dynamic RPC and the start of Linux ephemeral ranges, where stray listeners collect.
  "3389 49152 49153 49154 32768 32769 1026 1027 1028 4000 5000 8000",
];

function parseTiers(tiers: readonly string[]): number[] {
  return tiers.flatMap((tier) => tier.split(/\s+/).filter(Boolean).map(Number));
}

/** The hand-ranked ports, exported so tests can hold them to the port range and to no repeats. */
export const CURATED_TOP_PORTS: Readonly<Record<TransportProtocol, readonly number[]>> = {
  tcp: parseTiers(TCP_TIERS),
  udp: parseTiers(UDP_TIERS),
};

export const MAX_PORT = 65535;

const rankings: Partial<Record<TransportProtocol, readonly number[]>> = {};

/** Every port 1–65535 exactly once, most likely open first (see the top of this file for the order). */
export function rankedPorts(protocol: TransportProtocol): readonly number[] {
  const cached = rankings[protocol];
  if (cached) return cached;
  const ranked = new Set(CURATED_TOP_PORTS[protocol]);
  for (const port of registeredPorts(protocol)) if (port >= 1 && port <= MAX_PORT) ranked.add(port);
  for (let port = 1; port <= MAX_PORT; port++) ranked.add(port);
  return rankings[protocol] = Object.freeze([...ranked]);
}

/** The `count` ports most likely open, in rank order. */
export function topPorts(protocol: TransportProtocol, count: number): number[] {
  return rankedPorts(protocol).slice(0, count);
}
