// Linux ABI constants used by core/sys. The values are identical on x86_64 and aarch64 (asm-generic
// socket and fcntl numbering, generic ioctl encoding); architecture differences are handled where the
// layout really differs (struct epoll_event, see poller.ts).

export const AF_INET = 2;
export const AF_PACKET = 17;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;

export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_ERROR = 4;
export const SO_BROADCAST = 6;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_RCVBUFFORCE = 33;
export const SO_LINGER = 13;
export const SO_REUSEPORT = 15;
export const SO_BINDTODEVICE = 25;

export const SOL_PACKET = 263;
export const PACKET_IGNORE_OUTGOING = 23;

export const O_RDONLY = 0;
export const O_RDWR = 2;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const SHUT_WR = 1;

export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;
/** More data follows: the kernel holds a short send back to merge it with the next (headers + body). */
export const MSG_MORE = 0x8000;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
/** UDP GSO (Linux 4.18): one send of n·size bytes leaves as n datagrams of `size` (the last may be shorter). */
export const UDP_SEGMENT = 103;
export const TCP_NODELAY = 1;

export const CLONE_NEWNET = 0x40000000;

export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const EPOLL_CLOEXEC = 0o2000000;

export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
export const EPOLLIN = 0x001;
export const EPOLLPRI = 0x002;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLLRDHUP = 0x2000;
export const EPOLLONESHOT = 1 << 30;

export const IFNAMSIZ = 16;
/** sizeof(struct ifreq) on 64-bit Linux: 16-byte name plus a 24-byte union. */
export const IFREQ_SIZE = 40;

export const SIOCGIFFLAGS = 0x8913n;
export const SIOCSIFFLAGS = 0x8914n;
export const SIOCGIFMTU = 0x8921n;
export const SIOCSIFMTU = 0x8922n;
export const SIOCGIFHWADDR = 0x8927n;
export const SIOCGIFINDEX = 0x8933n;

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_PROMISC = 0x100;
export const IFF_MULTICAST = 0x1000;

// <linux/if_tun.h>: _IOW('T', n, int) and friends.
export const TUNSETIFF = 0x400454can;
export const TUNSETPERSIST = 0x400454cbn;
export const TUNSETOFFLOAD = 0x400454d0n;
export const TUNSETVNETHDRSZ = 0x400454d8n;
export const IFF_TUN = 0x0001;
export const IFF_TAP = 0x0002;
export const IFF_MULTI_QUEUE = 0x0100;
export const IFF_NO_PI = 0x1000;
export const IFF_VNET_HDR = 0x4000;

/** TUNSETOFFLOAD flags: which offloads the reader of a TAP with IFF_VNET_HDR can accept. */
export const TUN_F_CSUM = 0x01;
export const TUN_F_TSO4 = 0x02;
export const TUN_F_TSO6 = 0x04;
export const TUN_F_TSO_ECN = 0x08;
export const TUN_F_UFO = 0x10;

/**
 * struct virtio_net_hdr (linux/virtio_net.h), the prefix of each frame on a TAP with IFF_VNET_HDR. Fields
 * are little-endian (the host's order on every platform CTPF targets): flags u8, gso_type u8, hdr_len
 * u16, gso_size u16, csum_start u16, csum_offset u16.
 */
export const VIRTIO_NET_HDR_F_NEEDS_CSUM = 0x01;
export const VIRTIO_NET_HDR_F_DATA_VALID = 0x02;
export const VIRTIO_NET_HDR_GSO_NONE = 0;
export const VIRTIO_NET_HDR_GSO_TCPV4 = 1;
export const VIRTIO_NET_HDR_GSO_UDP = 3;
export const VIRTIO_NET_HDR_GSO_TCPV6 = 4;
export const VIRTIO_NET_HDR_GSO_ECN = 0x80;

export const ETH_P_ALL = 0x0003;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;

/** sockaddr_ll.sll_pkttype values. */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;
