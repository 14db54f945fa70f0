// TFTP packets as bytes: the examples of the RFCs, written out from their packet diagrams, and what a real
// client (curl 7.88.1, Debian 12) sent to testdata/responder.ts on 127.0.0.1. curl_test.ts repeats those
// runs live and checks curl still sends the same requests.
import { hex } from "../../testdata/captures.ts";

export { hex } from "../../testdata/captures.ts";

// --- RFC 1350 §5: the five packet kinds, fields as in its diagrams.

// RRQ | 01 | "foobar" 0 | "netascii" 0 |
export const RFC1350_RRQ_NETASCII = hex("0001666f6f626172006e6574617363696900");
// DATA | 03 | block 1 | "hello" |
export const RFC1350_DATA = hex("00030001" + "68656c6c6f");
// DATA | 03 | block 2 | (no data): ends a transfer whose size is a multiple of the block size.
export const RFC1350_DATA_EMPTY = hex("00030002");
// ACK | 04 | block 1 |
export const RFC1350_ACK = hex("00040001");
// ERROR | 05 | code 1 | "File not found" 0 |
export const RFC1350_ERROR = hex("00050001" + "46696c65206e6f7420666f756e64" + "00");

// --- RFC 2347 "Examples": |1|foofile|0|octet|0|blksize|0|1432|0| answered by |6|blksize|0|1432|0|, then
// |4|0| from the client; and the write |2|barfile|0|octet|0|blksize|0|2048|0| answered by
// |6|blksize|0|2048|0|.
export const RFC2347_RRQ = hex("0001666f6f66696c65006f6374657400626c6b73697a65003134333200");
export const RFC2347_OACK = hex("0006626c6b73697a65003134333200");
export const RFC2347_ACK_0 = hex("00040000");
export const RFC2347_WRQ = hex("000262617266696c65006f6374657400626c6b73697a65003230343800");
export const RFC2347_WRQ_OACK = hex("0006626c6b73697a65003230343800");

// --- RFC 2348 example: | 1 | foobar | 0 | octet | 0 | blksize | 0 | 1428 | 0 |
export const RFC2348_RRQ = hex("0001666f6f626172006f6374657400626c6b73697a65003134323800");

// --- RFC 2349 examples: | 1 | foobar | 0 | octet | 0 | timeout | 0 | 1 | 0 | (a read with a 1-second
// timeout) and | 2 | foobar | 0 | octet | 0 | tsize | 0 | 673312 | 0 | (a write of a 673312-octet file).
export const RFC2349_RRQ_TIMEOUT = hex("0001666f6f626172006f637465740074696d656f7574003100");
export const RFC2349_WRQ_TSIZE = hex("0002666f6f626172006f63746574007473697a650036373333313200");

// --- RFC 7440 §3 layout | opc | filename | 0 | mode | 0 | windowsize | 0 | #blocks | 0 |, with the values
// of its example: a read of "foobar" in octet mode with a window of 16 blocks.
export const RFC7440_RRQ = hex("0001666f6f626172006f637465740077696e646f7773697a6500313600");

// --- curl 7.88.1 against testdata/responder.ts (or a responder that answered ERROR 1), one request each:
// `curl tftp://127.0.0.1:PORT/boot/pxelinux.0`: curl always asks tsize 0, blksize 512, timeout 6.
export const CURL_RRQ = hex(
  "0001626f6f742f7078656c696e75782e30006f63746574007473697a65003000626c6b73697a65003531320074696d656f7574003600",
);
// `curl --tftp-blksize 1468 tftp://127.0.0.1:PORT/boot/pxelinux.0`
export const CURL_RRQ_BLKSIZE_1468 = hex(
  "0001626f6f742f7078656c696e75782e30006f63746574007473697a65003000626c6b73697a6500313436380074696d656f7574" +
    "003600",
);
// `curl --tftp-blksize 8 tftp://127.0.0.1:PORT/x`: the smallest block size RFC 2348 allows.
export const CURL_RRQ_BLKSIZE_8 = hex(
  "000178006f63746574007473697a65003000626c6b73697a6500380074696d656f7574003600",
);
// `curl --tftp-no-options tftp://127.0.0.1:PORT/boot/pxelinux.0`: a plain RFC 1350 request.
export const CURL_RRQ_NO_OPTIONS = hex("0001626f6f742f7078656c696e75782e30006f6374657400");
// `curl 'tftp://127.0.0.1:PORT/notes.txt;mode=netascii'`
export const CURL_RRQ_NETASCII = hex(
  "00016e6f7465732e747874006e65746173636969007473697a65003000626c6b73697a65003531320074696d656f7574003600",
);
// `curl -T up.bin tftp://127.0.0.1:PORT/upload/up.bin` with a 3000-byte up.bin: a WRQ announcing its size.
export const CURL_WRQ_TSIZE_3000 = hex(
  "000275706c6f61642f75702e62696e006f63746574007473697a65003330303000626c6b73697a65003531320074696d656f7574" +
    "003600",
);
// curl's ACK of the responder's OACK, and of the third block.
export const CURL_ACK_0 = hex("00040000");
export const CURL_ACK_3 = hex("00040003");
// The last DATA of curl uploading 1030 bytes (byte i = 7 * i mod 256) at blksize 512: block 3, 6 bytes.
export const CURL_DATA_LAST = hex("00030003" + "00070e151c23");

export const RFC_VECTORS: Record<string, Uint8Array> = {
  RFC1350_RRQ_NETASCII,
  RFC1350_DATA,
  RFC1350_DATA_EMPTY,
  RFC1350_ACK,
  RFC1350_ERROR,
  RFC2347_RRQ,
  RFC2347_OACK,
  RFC2347_ACK_0,
  RFC2347_WRQ,
  RFC2347_WRQ_OACK,
  RFC2348_RRQ,
  RFC2349_RRQ_TIMEOUT,
  RFC2349_WRQ_TSIZE,
  RFC7440_RRQ,
};

export const CURL_VECTORS: Record<string, Uint8Array> = {
  CURL_RRQ,
  CURL_RRQ_BLKSIZE_1468,
  CURL_RRQ_BLKSIZE_8,
  CURL_RRQ_NO_OPTIONS,
  CURL_RRQ_NETASCII,
  CURL_WRQ_TSIZE_3000,
  CURL_ACK_0,
  CURL_ACK_3,
  CURL_DATA_LAST,
};

export const ALL_VECTORS: Record<string, Uint8Array> = { ...RFC_VECTORS, ...CURL_VECTORS };
