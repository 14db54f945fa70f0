import { assertEquals, assertStrictEquals, assertThrows } from "../../../testing/assert.ts";
import { PowerDriverError } from "../driver.ts";
import { parseBmcAddress } from "./address.ts";
import { createIpmiDriver, ipmiDriverFactory } from "./factory.ts";

const credential = { username: "admin", password: "s3cret" };

function refusal(make: () => unknown): PowerDriverError {
  return assertThrows(make, PowerDriverError) as PowerDriverError;
}

Deno.test("ipmi factory: addresses are host[:port], 623 by default", () => {
  assertEquals(parseBmcAddress("10.0.0.5"), { host: "10.0.0.5", port: 623 });
  assertEquals(parseBmcAddress("bmc-7.lab:6230"), { host: "bmc-7.lab", port: 6230 });
  for (const bad of ["", "10.0.0.5:0", "10.0.0.5:70000", "300.1.1.1", "a b", "host:port"]) {
    assertStrictEquals(refusal(() => parseBmcAddress(bad)).kind, "refused", bad);
  }
});

Deno.test("ipmi factory: credentials and options are checked before any packet", () => {
  assertStrictEquals(ipmiDriverFactory.driver, "ipmi");
  const driver = createIpmiDriver({ driver: "ipmi", address: "10.0.0.5" }, credential);
  assertStrictEquals(driver.driver, "ipmi");
  assertEquals(driver.capabilities().bootDevices, ["pxe", "disk", "cdrom", "bios"]);
  assertStrictEquals(
    refusal(() => createIpmiDriver({ driver: "ipmi", address: "10.0.0.5" }, undefined)).kind,
    "auth",
  );
  const longPassword = { username: "admin", password: "x".repeat(21) };
  assertStrictEquals(
    refusal(() => createIpmiDriver({ driver: "ipmi", address: "h" }, longPassword)).kind,
    "auth",
  );
  const badKg = { ...credential, extra: { kgHex: "zz" } };
  assertStrictEquals(refusal(() => createIpmiDriver({ driver: "ipmi", address: "h" }, badKg)).kind, "auth");
  createIpmiDriver({ driver: "ipmi", address: "h" }, { ...credential, extra: { kgHex: "0x0102" } });
  const suite5 = { driver: "ipmi", address: "h", options: { cipherSuite: "5" } };
  assertStrictEquals(refusal(() => createIpmiDriver(suite5, credential)).kind, "unsupported");
  createIpmiDriver({ driver: "ipmi", address: "h", options: { cipherSuite: "17" } }, credential);
  const badPrivilege = { driver: "ipmi", address: "h", options: { privilege: "root" } };
  assertStrictEquals(refusal(() => createIpmiDriver(badPrivilege, credential)).kind, "refused");
  const badTimeout = { driver: "ipmi", address: "h", options: { timeoutMs: "soon" } };
  assertStrictEquals(refusal(() => createIpmiDriver(badTimeout, credential)).kind, "refused");
});
