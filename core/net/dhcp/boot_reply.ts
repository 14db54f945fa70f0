import type { BootAnswer } from "./boot_answer.ts";
import {
  DHCP_OPTION_BOOTFILE_NAME,
  DHCP_OPTION_TFTP_SERVER_ADDRESSES,
  DHCP_OPTION_TFTP_SERVER_NAME,
} from "./codes.ts";
import { pxeAnswerOptions } from "./pxe_answer.ts";
import { BOOTP_FILE_LENGTH } from "./options.ts";
import { IPV4_LIST, TEXT } from "./values.ts";

export interface BootReplyContext {
  /** The client's own option 43, whose boot item a discovery request wants answered back. */
  readonly requestVendorOptions?: Uint8Array;
  /** False for a proxyDHCP offer that sends the client on to port 4011 (pxe_answer.ts); default true. */
  readonly bootNow?: boolean;
}

/**
 * The options that carry a boot answer, in the order they go on the wire: 60 and 43 (pxe_answer.ts), 66,
 * 67 and 150. The same for necon's answers and bofied's proxyDHCP answers; empty without an answer.
 */
export function bootAnswerOptions(
  answer: BootAnswer | undefined,
  context: BootReplyContext = {},
): Map<number, Uint8Array> {
  const options = pxeAnswerOptions({
    vendorClass: answer?.vendorClass,
    bootFile: answer?.bootFile,
    bootNow: context.bootNow,
    requestVendorOptions: context.requestVendorOptions,
  });
  if (answer?.tftpServerName) options.set(DHCP_OPTION_TFTP_SERVER_NAME, TEXT.encode(answer.tftpServerName));
  if (answer?.bootFile) options.set(DHCP_OPTION_BOOTFILE_NAME, TEXT.encode(answer.bootFile));
  if (answer?.tftpServers?.length) {
    options.set(DHCP_OPTION_TFTP_SERVER_ADDRESSES, IPV4_LIST.encode(answer.tftpServers));
  }
  return options;
}

/**
 * The BOOTP `file` field for a boot file: the name when it fits (127 bytes and the NUL), else empty — option
 * 67 carries it whole either way, and long HTTP URLs are common (iPXE and UEFI HTTP boot read option 67).
 */
export function bootFileField(bootFile: string | undefined): string {
  if (!bootFile) return "";
  return TEXT.encode(bootFile).length < BOOTP_FILE_LENGTH ? bootFile : "";
}
