/**
 * The boot device in a libvirt domain's XML: <os><boot dev='network|hd|cdrom'/></os>. libvirt refuses a
 * definition that has both <os><boot> and per-device <boot order>, so setting the device removes the
 * per-device order too: the device set here is then the one the machine boots from.
 */
import { DOMParser, type Element, type Node, XMLSerializer } from "@xmldom/xmldom";
import type { BootDevice } from "../driver.ts";

const LIBVIRT_BOOT_DEVICES: Partial<Record<BootDevice, string>> = {
  pxe: "network",
  disk: "hd",
  cdrom: "cdrom",
};

/** The devices libvirt's <os><boot dev> can name ("bios", a firmware setup screen, it cannot). */
export const LIBVIRT_BOOTABLE: BootDevice[] = ["pxe", "disk", "cdrom"];

export class DomainXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DomainXmlError";
  }
}

function parseDomain(xml: string): Element {
  // virsh dumpxml never writes a DOCTYPE; one here would only bring entity expansion.
  if (/<!DOCTYPE/i.test(xml)) throw new DomainXmlError("domain XML with a DOCTYPE is not accepted");
  let root: Element | null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        throw new DomainXmlError(`domain XML ${level}: ${message}`);
      },
    }).parseFromString(xml, "text/xml").documentElement;
  } catch (error) {
    if (error instanceof DomainXmlError) throw error;
    // xmldom wraps what onError throws for fatal errors in its own ParseError.
    throw new DomainXmlError(`domain XML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!root || root.tagName !== "domain") throw new DomainXmlError("not a libvirt <domain>");
  return root;
}

function children(element: Element, tag?: string): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (tag === undefined || (node as Element).tagName === tag)) {
      found.push(node as Element);
    }
  }
  return found;
}

/** The <os><boot dev> values in order ("network", "hd", …). */
export function bootDevicesOf(xml: string): string[] {
  const os = children(parseDomain(xml), "os")[0];
  return os === undefined ? [] : children(os, "boot").map((boot) => boot.getAttribute("dev") ?? "");
}

/** The domain XML with `device` as its only boot device. */
export function withBootDevice(xml: string, device: BootDevice): string {
  const dev = LIBVIRT_BOOT_DEVICES[device];
  if (dev === undefined) throw new DomainXmlError(`libvirt cannot boot "${device}"`);
  const domain = parseDomain(xml);
  const os = children(domain, "os")[0];
  if (os === undefined) throw new DomainXmlError("domain has no <os>");
  for (const boot of children(os, "boot")) os.removeChild(boot);
  const devices = children(domain, "devices")[0];
  for (const device of devices === undefined ? [] : children(devices)) {
    for (const order of children(device, "boot")) device.removeChild(order);
  }
  const boot = domain.ownerDocument!.createElement("boot");
  boot.setAttribute("dev", dev);
  // <boot> follows <type>/<loader>/<nvram>/<kernel>… in libvirt's schema; appending at the end of <os>
  // keeps the order valid for every element libvirt may have written before it.
  os.appendChild(boot);
  return new XMLSerializer().serializeToString(domain);
}
