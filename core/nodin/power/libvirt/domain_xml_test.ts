import { assertEquals, assertMatch, assertThrows } from "../../../testing/assert.ts";
import { bootDevicesOf, DomainXmlError, withBootDevice } from "./domain_xml.ts";

// Shaped like `virsh dumpxml --inactive` of a diskless TCG domain, with a per-device boot order that
// libvirt would refuse next to <os><boot>.
const DOMAIN = `<domain type='qemu'>
  <name>node-1</name>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
    <boot dev='hd'/>
    <boot dev='cdrom'/>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='ethernet'>
      <mac address='52:54:00:12:34:56'/>
      <boot order='1'/>
    </interface>
  </devices>
</domain>`;

Deno.test("libvirt domain XML: the boot device replaces every <os><boot> and per-device boot order", () => {
  assertEquals(bootDevicesOf(DOMAIN), ["hd", "cdrom"]);
  const pxe = withBootDevice(DOMAIN, "pxe");
  assertEquals(bootDevicesOf(pxe), ["network"]);
  assertEquals(/<boot order=/.test(pxe), false);
  // Everything else stays as it was.
  assertMatch(pxe, /<mac address="52:54:00:12:34:56"\/>/);
  assertMatch(pxe, /<type arch="x86_64" machine="pc-i440fx-7.2">hvm<\/type>/);
  assertEquals(bootDevicesOf(withBootDevice(pxe, "disk")), ["hd"]);
  assertEquals(bootDevicesOf(withBootDevice(pxe, "cdrom")), ["cdrom"]);
});

Deno.test("libvirt domain XML: refuses what it cannot express and what is not a domain", () => {
  assertThrows(() => withBootDevice(DOMAIN, "bios"), DomainXmlError);
  assertThrows(() => withBootDevice("<network><name>x</name></network>", "pxe"), /not a libvirt <domain>/);
  assertThrows(() => withBootDevice("<domain><name>x</name></domain>", "pxe"), /no <os>/);
  assertThrows(() => withBootDevice("<domain><os></domain>", "pxe"), DomainXmlError);
  assertThrows(
    () => withBootDevice('<!DOCTYPE d [<!ENTITY a "b">]><domain><os/></domain>', "pxe"),
    /DOCTYPE/,
  );
});
