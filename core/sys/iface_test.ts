import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { formatMac, macFromBytes } from "../net/mac.ts";
import { Lab } from "../testing/harness/lab.ts";
import { rootTest } from "../testing/harness/root.ts";
import { IFF_UP } from "./constants.ts";
import { SysError } from "./errno.ts";
import {
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
import { withNetns } from "./netns.ts";

Deno.test("iface: loopback is index 1 by both lookups", () => {
  assertStrictEquals(interfaceIndex("lo"), 1);
  assertStrictEquals(interfaceIndexByIoctl("lo"), 1);
  assert(linkFlags("lo") & IFF_UP);
});

Deno.test("iface: a missing interface is a SysError naming the call, the interface and ENODEV", () => {
  assertThrows(() => interfaceIndex("ctpfmissing0"), (error: unknown) => {
    assert(error instanceof SysError);
    assertStrictEquals(error.message, "if_nametoindex(ctpfmissing0): ENODEV (No such device)");
    assertStrictEquals(error.code, "ENODEV");
    assertStrictEquals(error.errno, 19);
    return true;
  });
  assertThrows(
    () => macAddress("ctpfmissing0"),
    /^SysError: ioctl\(SIOCGIFHWADDR\)\(ctpfmissing0\): ENODEV/,
  );
  assertThrows(() => ipv4Addresses("ctpfmissing0"), /ENODEV/);
  assertThrows(() => interfaceIndex("a-name-longer-than-15"), RangeError);
});

rootTest("iface: index, MAC, addresses, up/down and MTU of a veth in a test namespace", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  await lab.veth(ns, "v0", ns, "v1");
  const [link] = JSON.parse((await ns.ip("-j", "link", "show", "dev", "v0")).stdout) as {
    ifindex: number;
    address: string;
    mtu: number;
  }[];

  withNetns(ns.name, () => {
    assertStrictEquals(interfaceIndex("v0"), link.ifindex);
    assertStrictEquals(interfaceIndexByIoctl("v0"), link.ifindex);
    assertStrictEquals(formatMac(macFromBytes(macAddress("v0"))), link.address);
    assertStrictEquals(mtu("v0"), link.mtu);
    assertStrictEquals(isLinkUp("v0"), false);
    setLinkUp("v0", true);
    setMtu("v0", 1400);
    assertEquals(ipv4Addresses("v0"), []);
  });
  assertMatch((await ns.ip("link", "show", "dev", "v0")).stdout, /<[^>]*\bUP\b[^>]*> mtu 1400/);

  await ns.addAddress("v0", "10.76.0.1/24");
  withNetns(ns.name, () => {
    assertEquals(ipv4Addresses("v0"), [{
      address: "10.76.0.1",
      netmask: "255.255.255.0",
      cidr: "10.76.0.1/24",
    }]);
    setLinkUp("v0", false);
    assertStrictEquals(isLinkUp("v0"), false);
    assertThrows(() => setMtu("v0", 20), RangeError);
  });
});
