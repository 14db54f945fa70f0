import assert from "node:assert/strict";
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
  assert.equal(interfaceIndex("lo"), 1);
  assert.equal(interfaceIndexByIoctl("lo"), 1);
  assert.ok(linkFlags("lo") & IFF_UP);
});

Deno.test("iface: a missing interface is a SysError naming the call, the interface and ENODEV", () => {
  assert.throws(() => interfaceIndex("ctpfmissing0"), (error: unknown) => {
    assert.ok(error instanceof SysError);
    assert.equal(error.message, "if_nametoindex(ctpfmissing0): ENODEV (No such device)");
    assert.equal(error.code, "ENODEV");
    assert.equal(error.errno, 19);
    return true;
  });
  assert.throws(
    () => macAddress("ctpfmissing0"),
    /^SysError: ioctl\(SIOCGIFHWADDR\)\(ctpfmissing0\): ENODEV/,
  );
  assert.throws(() => ipv4Addresses("ctpfmissing0"), /ENODEV/);
  assert.throws(() => interfaceIndex("a-name-longer-than-15"), RangeError);
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
    assert.equal(interfaceIndex("v0"), link.ifindex);
    assert.equal(interfaceIndexByIoctl("v0"), link.ifindex);
    assert.equal(formatMac(macFromBytes(macAddress("v0"))), link.address);
    assert.equal(mtu("v0"), link.mtu);
    assert.equal(isLinkUp("v0"), false);
    setLinkUp("v0", true);
    setMtu("v0", 1400);
    assert.deepEqual(ipv4Addresses("v0"), []);
  });
  assert.match((await ns.ip("link", "show", "dev", "v0")).stdout, /<[^>]*\bUP\b[^>]*> mtu 1400/);

  await ns.addAddress("v0", "10.76.0.1/24");
  withNetns(ns.name, () => {
    assert.deepEqual(ipv4Addresses("v0"), [{
      address: "10.76.0.1",
      netmask: "255.255.255.0",
      cidr: "10.76.0.1/24",
    }]);
    setLinkUp("v0", false);
    assert.equal(isLinkUp("v0"), false);
    assert.throws(() => setMtu("v0", 20), RangeError);
  });
});
