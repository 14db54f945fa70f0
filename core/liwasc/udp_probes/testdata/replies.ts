import { ascii, concat, hex } from "./bytes.ts";

// Replies built by hand from the specifications, for services that are not installed here to record
// from. Each answers the probe built with the fixed values its comment names. They were checked by
// decoding them with tcpdump 4.99 (DNS, mDNS, SNMP, ISAKMP, SIP, RPC) besides reading the RFCs.

/** RFC 1035 §4.1.1: REFUSED (rcode 5) to dnsProbe({ id: 0x1234 }), without the question, as some servers send. */
export const DNS_REFUSED_NO_QUESTION = hex("1234 8005 0000 0000 0000 0000");

/** SNMPv2c GetResponse (RFC 3416 §4.2.1, BER of X.690) to snmpProbe({ requestId: 0x12345678 }). */
export const SNMP_SYSDESCR = concat(
  hex(`
    30 4e
      02 01 01
      04 06 7075626c6963
      a2 41
        02 04 12345678
        02 01 00
        02 01 00
        30 33
          30 31
            06 08 2b06010201010100
            04 25`),
  ascii("Linux gw 6.1.0-18-amd64 #1 SMP x86_64"),
);

/** The same, but the agent has no sysDescr: the varbind value is noSuchObject ([0] IMPLICIT NULL, 0x80). */
export const SNMP_NO_SUCH_OBJECT = hex(`
  30 29
    02 01 01
    04 06 7075626c6963
    a2 1c
      02 04 12345678
      02 01 00
      02 01 00
      30 0e
        30 0c
          06 08 2b06010201010100
          80 00`);

/**
 * NODE STATUS RESPONSE (RFC 1002 §4.2.18) to netbiosProbe({ id: 0x4242 }): flags 0x8400 (R, AA),
 * one answer naming the wildcard, NBSTAT IN, TTL 0, then three names: FILESRV<00> unique,
 * FILESRV<20> unique, WORKGROUP<00> group (NAME_FLAGS 0x8400: G and ACT), and 46 bytes of statistics
 * starting with the unit ID 00:1a:2b:3c:4d:5e.
 */
export const NETBIOS_NODE_STATUS = concat(
  hex("4242 8400 0000 0001 0000 0000"),
  hex("20"),
  ascii("CK" + "AA".repeat(15)),
  hex("00 0021 0001 00000000 0065"),
  hex("03"),
  ascii("FILESRV        "),
  hex("00 0400"),
  ascii("FILESRV        "),
  hex("20 0400"),
  ascii("WORKGROUP      "),
  hex("00 8400"),
  hex("001a2b3c4d5e"),
  new Uint8Array(40),
);

/**
 * Legacy unicast response (RFC 6762 §6.7) to mdnsProbe({ id: 0x2222 }): flags 0x8400, the question
 * repeated, two PTR answers from the service type enumeration (RFC 6763 §9) and an A record for
 * printer.local as additional record. Names are compressed: "local" at offset 35 (0x23), "_tcp.local"
 * inside the first answer's data at 64 (0x40).
 */
export const MDNS_SERVICES = hex(`
  2222 8400 0001 0002 0000 0001
  09 5f7365727669636573 07 5f646e732d7364 04 5f756470 05 6c6f63616c 00 000c 0001
  c00c 000c 0001 0000000a 000d 05 5f68747470 04 5f746370 c023
  c00c 000c 0001 0000000a 0007 04 5f737368 c040
  07 7072696e746572 c023 0001 0001 0000000a 0004 c0a80114
`);

/** UDA 1.1 §1.3.3 search response to ssdpProbe(), as MiniUPnPd sends it. */
export const SSDP_ROOT_DEVICE = ascii(
  "HTTP/1.1 200 OK\r\n" +
    "CACHE-CONTROL: max-age=120\r\n" +
    "ST: upnp:rootdevice\r\n" +
    "USN: uuid:8e4f6a0c-1b2d-4c3e-9f00-112233445566::upnp:rootdevice\r\n" +
    "EXT:\r\n" +
    "SERVER: Linux/5.4 UPnP/1.1 MiniUPnPd/2.3.3\r\n" +
    "LOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n" +
    'OPT: "http://schemas.upnp.org/upnp/1/0/"; ns=01\r\n' +
    "01-NLS: 1700000000\r\n" +
    "BOOTID.UPNP.ORG: 1700000000\r\n" +
    "CONFIGID.UPNP.ORG: 1337\r\n" +
    "\r\n",
);

/** RFC 3261 §11.2 response to sipProbe({ branch: "b1", tag: "t1", callId: "c1" }), as a PBX answers. */
export const SIP_OPTIONS_OK = ascii(
  "SIP/2.0 200 OK\r\n" +
    "Via: SIP/2.0/UDP liwasc.invalid;branch=z9hG4bKb1;received=192.0.2.7;rport=40000\r\n" +
    "From: <sip:liwasc@liwasc.invalid>;tag=t1\r\n" +
    "To: <sip:liwasc.invalid>;tag=as5f1e2d3c\r\n" +
    "Call-ID: c1\r\n" +
    "CSeq: 1 OPTIONS\r\n" +
    "Server: Asterisk PBX 18.10.0\r\n" +
    "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\n" +
    "Accept: application/sdp\r\n" +
    "Content-Length: 0\r\n" +
    "\r\n",
);

/** A proxy refusing to forward (Max-Forwards 0): compact headers (§7.3.3), a folded line, bare LFs. */
export const SIP_TOO_MANY_HOPS_COMPACT = ascii(
  "SIP/2.0 483 Too Many Hops\n" +
    "v: SIP/2.0/UDP liwasc.invalid;branch=z9hG4bKb1;rport=40000\n" +
    "f: <sip:liwasc@liwasc.invalid>;tag=t1\n" +
    "t: <sip:liwasc.invalid>\n" +
    "i: c1\n" +
    "CSeq: 1\n" +
    " OPTIONS\n" +
    "l: 0\n" +
    "\n",
);

/** ONC RPC accepted reply (RFC 5531 §9), SUCCESS, to rpcbindProbe({ xid: 0x12345678 }). */
export const RPC_SUCCESS = hex("12345678 00000001 00000000 00000000 00000000 00000000");

/** Accepted, PROG_MISMATCH: the server has the program in versions 3 to 4 only. */
export const RPC_PROG_MISMATCH = hex(
  "12345678 00000001 00000000 00000000 00000000 00000002 00000003 00000004",
);

/** Accepted with an AUTH_SYS-flavoured verifier of 5 bytes, padded to 8 (XDR opaque). */
export const RPC_SUCCESS_PADDED_VERIFIER = hex(
  "12345678 00000001 00000000 00000001 00000005 0102030405000000 00000000",
);

/** Denied, RPC_MISMATCH: the server speaks RPC version 2 only. */
export const RPC_DENIED_MISMATCH = hex("12345678 00000001 00000001 00000000 00000002 00000002");

/** memcached's first UDP datagram of 2 for "stats" to memcachedProbe({ requestId: 0x0102 }). */
export const MEMCACHED_STATS_FIRST = concat(
  hex("0102 0000 0002 0000"),
  ascii(
    "STAT pid 4242\r\nSTAT uptime 60\r\nSTAT time 1700000000\r\nSTAT version 1.6.21\r\nSTAT libevent 2.1.12\r\n",
  ),
);

/** And its second datagram, which ends the reply. */
export const MEMCACHED_STATS_LAST = concat(hex("0102 0001 0002 0000"), ascii("STAT threads 4\r\nEND\r\n"));

/**
 * IKEv1 Main Mode response (RFC 2409 §5) to ikeProbe({ cookie: 01..08 }): the responder cookie, an SA
 * payload with the one transform chosen (3DES, SHA1, pre-shared key, MODP 1024, 28800 s) and a vendor
 * ID payload (RFC 3706's DPD).
 */
export const IKE_MAIN_MODE_RESPONSE = hex(`
  0102030405060708 a1a2a3a4a5a6a7a8 01 10 02 00 00000000 00000068
  0d 00 0038 00000001 00000001
    00 00 002c 01 01 00 01
      00 00 0024 03 01 0000
        80010005 80020002 80030001 80040002 800b0001 000c0004 00007080
  00 00 0014 afcad71368a1f1c96b8696fc77570100
`);

/** IKEv1 Informational (RFC 2408 §3.14): a NO-PROPOSAL-CHOSEN (14) notification, responder cookie 0. */
export const IKE_NO_PROPOSAL_CHOSEN = hex(`
  0102030405060708 0000000000000000 0b 10 05 00 7a3b2c1d 00000028
  00 00 000c 00000001 01 00 000e
`);

/** IKEv2 (RFC 7296 §1.5) refusing version 1: response flag, a notification of INVALID_MAJOR_VERSION (5). */
export const IKEV2_INVALID_MAJOR_VERSION = hex(`
  0102030405060708 0000000000000000 29 20 22 20 00000000 00000024
  00 00 0008 00 00 0005
`);
