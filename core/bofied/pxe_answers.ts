import { architectureName } from "../net/dhcp/mod.ts";
import { formatIpv4, parseIpv4 } from "../net/ipv4addr.ts";
import { formatMac } from "../net/mac.ts";
import type { BootAnswer, BootAnswerProvider } from "../net/dhcp/boot_answer.ts";
import type { BootRules } from "./rules/engine.ts";

export interface PxeAnswerOptions {
  rules: BootRules;
  /** The address to advertise, when set; otherwise the DHCP server's address on the client's link. */
  bootAddress: () => string | undefined;
  httpPort: () => number;
  onAnswer?: (mac: string, summary: string, fields: Record<string, string>) => void;
}

/**
 * The seam between necon and bofied: for a PXE client necon is about to answer, run the boot rules and
 * turn their decision into DHCP boot fields (siaddr, file/option 67, option 60 echo).
 */
export function pxeAnswers(options: PxeAnswerOptions): BootAnswerProvider {
  return async (request, assigned, serverAddress) => {
    const server = options.bootAddress() ?? formatIpv4(serverAddress);
    const arch = request.architectures[0] ?? 0;
    const mac = formatMac(request.mac);
    const result = await options.rules.evaluate({
      mac,
      ip: formatIpv4(assigned),
      arch: { id: arch, name: architectureName(arch) },
      vendorClass: request.vendorClass,
      userClass: request.userClass,
      uuid: request.uuid,
      relay: request.giaddr ? formatIpv4(request.giaddr) : undefined,
      server,
      httpPort: options.httpPort(),
    });
    if (!result.decision) {
      // The request still says what the machine is, whatever the rules made of it (nodin reads it).
      options.onAnswer?.(mac, "no boot answer", { error: result.error ?? "", arch: String(arch) });
      return undefined;
    }
    if (result.decision.ignore) {
      options.onAnswer?.(mac, "ignored by the rules", { arch: String(arch) });
      return undefined;
    }
    const bootFile = result.decision.tftpFile ?? result.decision.httpUrl;
    const answer: BootAnswer = {
      nextServer: parseIpv4(result.decision.nextServer ?? server),
      bootFile,
      // PXE and UEFI HTTP firmware look for their class echoed back before they take the offer.
      vendorClass: request.vendorClass?.startsWith("HTTPClient")
        ? "HTTPClient"
        : request.vendorClass?.startsWith("PXEClient")
        ? "PXEClient"
        : undefined,
    };
    options.onAnswer?.(mac, `boot ${bootFile}`, {
      file: bootFile ?? "",
      arch: String(arch),
      userClass: request.userClass ?? "",
    });
    return answer;
  };
}
