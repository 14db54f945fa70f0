// Frames captured from real tools with `tcpdump -w` on veth interfaces inside throwaway network
// namespaces (see capture.sh beside this file), without FCS. Topology:
//
//   A (vA 02:00:00:00:00:0a, 10.99.0.1) -- (vRa 02:00:00:00:00:1a, 10.99.0.254) R router
//   R (vRb 02:00:00:00:00:1b, 10.99.1.254) -- (vB 02:00:00:00:00:0b, 10.99.1.2) B
//
// Checksum offload was switched off (`ethtool -K ... tx off rx off`) so captured checksums are the ones on
// the wire. The kernel here has no 8021q support, so tagged frames come from mausezahn and scapy sending
// on vA; they are one-way (nothing answers them).

/** Bytes from lowercase hex digits; whitespace between them is ignored, so vectors can be grouped. */
export function hex(text: string): Uint8Array<ArrayBuffer> {
  const digits = text.replace(/\s+/g, "");
  if (!/^([0-9a-f]{2})*$/.test(digits)) throw new Error(`bad hex vector: ${text.slice(0, 40)}...`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

// `arping -c 1 -I vA 10.99.0.254` in A: broadcast request (arping puts ff:ff:ff:ff:ff:ff in the target MAC).
export const ARPING_REQUEST = hex(
  "ffffffffffff02000000000a0806000108000604000102000000000a0a630001ffffffffffff0a6300fe",
);

// R's kernel answering that request.
export const ARPING_REPLY = hex(
  "02000000000a02000000001a0806000108000604000202000000001a0a6300fe02000000000a0a630001",
);

// A's kernel resolving its gateway before `ping` (target MAC 00:00:00:00:00:00).
export const KERNEL_ARP_REQUEST = hex(
  "ffffffffffff02000000000a0806000108000604000102000000000a0a6300010000000000000a6300fe",
);

// `ping -c 1 -p 43545046 -s 16 10.99.1.2` in A: echo request, DF set; the 16 data bytes are all
// timestamp (a struct timeval), so the -p pattern got no room.
export const PING_REQUEST = hex(
  "02000000001a02000000000a08004500002c61eb40004001c31d0a6300010a6301020800a19815fc000135c2066b0000" +
    "0000f93c0b0000000000",
);

// B's echo reply, forwarded by R (TTL 63, no flags).
export const PING_REPLY = hex(
  "02000000000a02000000001a08004500002c618b00003f01047e0a6301020a6300010000a99815fc000135c2066b0000" +
    "0000f93c0b0000000000",
);

// `echo -n 'ctpf hello' | socat -u - UDP4-SENDTO:10.99.1.2:5000,sourceport=40000` in A.
export const SOCAT_UDP = hex(
  "02000000001a02000000000a0800450000268be84000401199160a6300010a6301029c4013880012741a637470662068" +
    "656c6c6f",
);

// `echo -n nocsum | socat -u - UDP4-SENDTO:10.99.0.254:5001,sourceport=40001,setsockopt-int=1:11:1`
// (SOL_SOCKET/SO_NO_CHECK=1: the kernel sends checksum 0).
export const SOCAT_UDP_NO_CHECKSUM = hex(
  "02000000001a02000000000a080045000022db4b4000401149bb0a6300010a6300fe9c411389000e00006e6f6373756d",
);

// R's ICMP port unreachable for SOCAT_UDP_NO_CHECKSUM (nothing listens on 5001).
export const ROUTER_PORT_UNREACHABLE = hex(
  "02000000000a02000000001a080045c0003e357d000040012ebe0a6300fe0a630001030305d40000000045000022db4b" +
    "4000401149bb0a6300010a6300fe9c411389000e00006e6f6373756d",
);

// `echo -n 'anyone?' | socat -u - UDP4-SENDTO:10.99.1.2:5999,sourceport=40002` in A.
export const SOCAT_UDP_TO_CLOSED_PORT = hex(
  "02000000001a02000000000a0800450000238c5c4000401198a50a6300010a6301029c42176f000fae12616e796f6e65" +
    "3f",
);

// B's ICMP port unreachable for it, forwarded by R: quotes the original with TTL 63.
export const PORT_UNREACHABLE = hex(
  "02000000000a02000000001a080045c0003f647a00003f0100bc0a6301020a630001030312e600000000450000238c5c" +
    "40003f1199a50a6300010a6301029c42176f000fae12616e796f6e653f",
);

// `ping -c 1 -t 1 -s 8 10.99.1.2` in A: TTL 1.
export const TTL_1_REQUEST = hex(
  "02000000001a02000000000a08004500002466b640000101fd5a0a6300010a6301020800d5c4162a0001000102030405" +
    "0607",
);

// R's ICMP time exceeded in transit for it.
export const TIME_EXCEEDED = hex(
  "02000000000a02000000001a080045c00040376a000040012ccf0a6300fe0a6300010b00f4ff000000004500002466b6" +
    "40000101fd5a0a6300010a6301020800d5c4162a00010001020304050607",
);

// `ping -c 1 -R -s 8 10.99.1.2` in A: IHL 15, options NOP + Record Route (39 bytes, pointer 8).
export const RECORD_ROUTE_REQUEST = hex(
  "02000000001a02000000000a08004f00004c67404000400181350a6300010a630102010727080a630001000000000000" +
    "00000000000000000000000000000000000000000000000000000800d5b1163d00010001020304050607",
);

// B's reply after the round trip: Record Route full of addresses, then End of Options.
export const RECORD_ROUTE_REPLY = hex(
  "02000000000a02000000001a08004f00004c66af00003f01e5d90a6301020a6300010727180a6300010a6301fe0a6301" +
    "020a6301020a6300fe00000000000000000000000000000000000000ddb1163d00010001020304050607",
);

// `ping -c 1 -s 1600 -M dont 10.99.0.254` in A (MTU 1500): second fragment, offset 1480, MF clear.
// The first fragment is FIRST_FRAGMENT below.
export const LAST_FRAGMENT = hex(
  "02000000001a02000000000a080045000094256b00b940013e810a6300010a6300fec0c1c2c3c4c5c6c7c8c9cacbcccd" +
    "cecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfd" +
    "feff000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d" +
    "2e2f303132333435363738393a3b3c3d3e3f",
);

// `mausezahn vA -c 1 -a 02:00:00:00:00:0a -b 02:00:00:00:00:1a -Q 5:10 -A 10.99.0.1 -B 10.99.0.254
//  -t udp "sp=40010,dp=5010" -P vlan10`: one 802.1Q tag, priority 5, VLAN 10.
export const MAUSEZAHN_VLAN = hex(
  "02000000001a02000000000a8100a00a08004500002200000000ff11a6060a6300010a6300fe9c4a1392000e3126766c" +
    "616e3130",
);

// `mausezahn vA -c 1 ... -Q 100,20 -t udp "sp=40020,dp=5020" -P qinq`: two 0x8100 tags (VLAN 100 outer, 20 inner).
export const MAUSEZAHN_QINQ_8100 = hex(
  "02000000001a02000000000a810000648100001408004500002000000000ff11a6080a6300010a6300fe9c54139c000c" +
    "5a4671696e71",
);

// scapy 2.5 `sendp(Ether(...)/Dot1AD(vlan=100)/Dot1Q(prio=3,vlan=20)/IP(...)/UDP(sport=40030,dport=5030)/b'88a8')`:
// an 802.1ad S-tag (0x88a8) outside an 802.1Q C-tag.
export const SCAPY_QINQ_88A8 = hex(
  "02000000001a02000000000a88a800648100601408004500002000010000401165080a6300010a6300fe9c5e13a6000c" +
    "a09c38386138",
);

// First fragment of the same `ping -s 1600 -M dont` request (1514 bytes). Stored as its first 58 bytes
// (headers and timestamp) plus ping's fill pattern, where data byte i is i & 0xff; this reconstruction was
// compared byte for byte with the capture, and the test for it checks the ICMP checksum across both fragments.
export const FIRST_FRAGMENT = (() => {
  const prefix = hex(
    "02000000001a02000000000a0800450005dc256b2000400119f20a6300010a6300fe0800f826164100013fc2066b0000" +
      "00007127050000000000",
  );
  const frame = new Uint8Array(1514);
  frame.set(prefix);
  for (let i = 16; i < 1472; i++) frame[14 + 20 + 8 + i] = i & 0xff;
  return frame;
})();

/** Every captured frame, for tests that run over all of them. */
export const ALL_FRAMES: Readonly<Record<string, Uint8Array>> = {
  ARPING_REQUEST,
  ARPING_REPLY,
  KERNEL_ARP_REQUEST,
  PING_REQUEST,
  PING_REPLY,
  SOCAT_UDP,
  SOCAT_UDP_NO_CHECKSUM,
  ROUTER_PORT_UNREACHABLE,
  SOCAT_UDP_TO_CLOSED_PORT,
  PORT_UNREACHABLE,
  TTL_1_REQUEST,
  TIME_EXCEEDED,
  RECORD_ROUTE_REQUEST,
  RECORD_ROUTE_REPLY,
  LAST_FRAGMENT,
  FIRST_FRAGMENT,
  MAUSEZAHN_VLAN,
  MAUSEZAHN_QINQ_8100,
  SCAPY_QINQ_88A8,
};
