import { decodePxeBootItem, encodePxeVendorOptions, PXE_DISCOVERY_USE_BOOT_FILE } from "./pxe_vendor.ts";

// The class and vendor options of an answer to a PXE client, in one place for both of ctpf's PXE servers:
// necon answering as the network's DHCP server, and bofied's proxyDHCP beside someone else's.
//
// A client whose option 60 starts "PXEClient" takes an answer carrying option 60 "PXEClient" as PXE
// information (PXE 2.1 §2.2.5). Sent without option 43, that answer is a BINL offer: the boot file is to
// be asked for again at the server's port 4011 (EDK2's PxeBcRetryBinlOffer: four tries, 1+2+3+4 s, then
// DHCPv6 and HTTP boot). So an answer that names the boot file to boot now also carries option 43 with
// discovery control bit 3, the spec's "download the boot file in this offer", which EDK2 honours
// (PxeBcSelectBootPrompt) and iPXE reads as "no menu". (dnsmasq's plain dhcp-boot leaves option 60
// out instead, which EDK2 takes as a DHCP-only offer with a boot file: as fast, but not a PXE answer.)

const OPTION_VENDOR_SPECIFIC = 43, OPTION_VENDOR_CLASS = 60;
const encoder = new TextEncoder();

export interface PxeAnswerInput {
  /** Option 60 to answer ("PXEClient", "HTTPClient"); nothing is added without it. */
  readonly vendorClass?: string;
  /** The boot file this answer names (option 67 / the file field), if any. */
  readonly bootFile?: string;
  /**
   * False when the client is to ask the server's port 4011 for the boot file (a proxyDHCP offer on port
   * 67, answered as BINL so that firmware whose proxy PXE 1.0 handling is broken still gets there);
   * true (the default) when this answer is the one to boot from.
   */
  readonly bootNow?: boolean;
  /** The client's own option 43: a discovery request's boot item (sub-option 71) is answered back. */
  readonly requestVendorOptions?: Uint8Array;
}

/** Options 60 and 43 for the answer, by code; empty for a non-PXE answer. */
export function pxeAnswerOptions(input: PxeAnswerInput): Map<number, Uint8Array> {
  const options = new Map<number, Uint8Array>();
  if (!input.vendorClass) return options;
  options.set(OPTION_VENDOR_CLASS, encoder.encode(input.vendorClass));
  // Option 43 means PXE sub-options only for a PXEClient answer ("HTTPClient" defines none).
  if (input.vendorClass !== "PXEClient" || !input.bootFile || input.bootNow === false) return options;
  const item = decodePxeBootItem(input.requestVendorOptions);
  options.set(
    OPTION_VENDOR_SPECIFIC,
    encodePxeVendorOptions({
      discoveryControl: PXE_DISCOVERY_USE_BOOT_FILE,
      bootItem: item.ok ? item.value : undefined,
    }),
  );
  return options;
}
