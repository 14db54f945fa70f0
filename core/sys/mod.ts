// core/sys: the libc FFI platform layer. Everything here needs --allow-ffi (and CAP_NET_ADMIN /
// CAP_NET_RAW for TAPs, raw sockets and SO_BINDTODEVICE); importing alone needs nothing.

export { errnoDescription, errnoName, errnoNumber, isErrno, SysError } from "./errno.ts";
export { ClosedError, type Interest, Poller, sharedPoller, type WaitOptions } from "./poller.ts";
export { DatagramFd, OwnedFd, type ReceivedLength } from "./fd.ts";
export { MessageBatch, type MessageBatchOptions } from "./message_batch.ts";
export { closeQuietly } from "./libc.ts";
export { type Opened, openForReading } from "./open.ts";
export { receiveInto, sendBytes, sendFileRange, shutdownWrite } from "./stream_io.ts";
export { type Datagram, type ReceivedInto, UdpSocket, type UdpSocketOptions } from "./udp.ts";
export { receiveUntil } from "./receive_loop.ts";
export {
  type IcmpDatagram,
  IcmpSocket,
  type RawIpDatagram,
  RawIpSocket,
  type RawIpSocketOptions,
} from "./raw_ip_socket.ts";
export { type Frame, type FrameInto, PacketSocket, type PacketSocketOptions } from "./packet.ts";
export { Tap, type TapOptions, VNET_HEADER_SIZE } from "./tap.ts";
export {
  type InterfaceAddress,
  interfaceExists,
  interfaceIndex,
  interfaceIndexByIoctl,
  ipv4Addresses,
  isLinkUp,
  linkFlags,
  macAddress,
  mtu,
  setLinkUp,
  setMtu,
} from "./iface.ts";
export { netnsPath, withNetns } from "./netns.ts";
export { type InetAddress } from "./sockaddr.ts";
export {
  ETH_P_ALL,
  ETH_P_ARP,
  ETH_P_IP,
  IFF_RUNNING,
  IFF_UP,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  PACKET_BROADCAST,
  PACKET_HOST,
  PACKET_MULTICAST,
  PACKET_OTHERHOST,
  PACKET_OUTGOING,
  TUN_F_CSUM,
  TUN_F_TSO4,
  TUN_F_TSO6,
  TUN_F_TSO_ECN,
  TUN_F_UFO,
  VIRTIO_NET_HDR_F_DATA_VALID,
  VIRTIO_NET_HDR_F_NEEDS_CSUM,
  VIRTIO_NET_HDR_GSO_ECN,
  VIRTIO_NET_HDR_GSO_NONE,
  VIRTIO_NET_HDR_GSO_TCPV4,
  VIRTIO_NET_HDR_GSO_TCPV6,
  VIRTIO_NET_HDR_GSO_UDP,
} from "./constants.ts";
export { type ConnectOptions, type ConnectOutcome, tcpConnect } from "./tcp_connect.ts";
export { sourceAddressFor } from "./source_address.ts";
export { findTcpSocket, setNoDelayByAddresses } from "./conn_nodelay.ts";
