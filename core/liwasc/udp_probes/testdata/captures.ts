import { hex } from "./bytes.ts";

// Replies recorded from real servers on loopback, to the probes built with the fixed IDs noted. The live
// tests (live_test.ts) exchange with the same servers again when they are installed; these recordings
// keep the recognisers tested where they are not.

/**
 * dnsmasq 2.90 (`--port=53530 --listen-address=127.0.0.2 --bind-interfaces --no-resolv`) answering
 * dnsProbe({ id: 0x1234 }): flags 0x8480 (QR, AA, RA, NOERROR), the question repeated, then
 * version.bind CH TXT "dnsmasq-2.90" with the owner compressed to the question (c00c).
 */
export const DNSMASQ_VERSION_BIND = hex(`
  1234 8480 0001 0001 0000 0000
  07 76657273696f6e 04 62696e64 00 0010 0003
  c00c 0010 0003 00000000 000d 0c 646e736d6173712d322e3930
`);

/**
 * ntpd (NTPsec 1.2.2, no time sources, listening on 127.0.0.1) answering ntpProbe({ nonce: 01..08 }):
 * LI 3, VN 4, mode 4 (0xe4), stratum 0 with kiss code INIT since it has not synchronised, precision
 * -24, the nonce as origin timestamp, then receive and transmit timestamps.
 */
export const NTPSEC_UNSYNCHRONISED = hex(`
  e4 00 00 e8 00000000 00000001 494e4954
  0000000000000000 0102030405060708 eeb1674fb79840fa eeb1674fb79ba525
`);

/**
 * dnsmasq 2.90's TFTP server (`--enable-tftp --tftp-root=/tmp/lw/tftproot`) answering
 * tftpProbe({ filename: "liwasc-0123456789abcdef" }): ERROR 1 (file not found) with the path in the text.
 */
export const DNSMASQ_TFTP_NOT_FOUND = hex(`
  0005 0001
  66696c65202f746d702f6c772f74667470726f6f742f6c69776173632d30313233343536373839616263646566
  206e6f7420666f756e6420666f72203132372e302e302e31 00
`);

/** The same server answering tftpProbe({ filename: "present.txt" }) for a file holding "hello\n". */
export const DNSMASQ_TFTP_DATA = hex("0003 0001 68656c6c6f0a");
