import { assertEquals, assertThrows } from "../testing/assert.ts";
import { cidrContains, parseCidr } from "../net/ipv4addr.ts";
import { LiwascInputError } from "./input_error.ts";
import { maxPortScanHosts, portScanHosts } from "./port_targets.ts";

const lab = parseCidr("10.77.0.1/24");
const inLab = (address: number) => cidrContains(lab, address);

Deno.test("port_targets: addresses and blocks in order, without repeats, a block's ends left out", () => {
  assertEquals(portScanHosts("10.77.0.9", ["10.77.0.8/30", "10.77.0.9", " 10.77.0.20 "], inLab), [
    "10.77.0.9",
    "10.77.0.10",
    "10.77.0.20",
  ]);
  assertEquals(portScanHosts("", ["10.77.0.4/31"], inLab), ["10.77.0.4", "10.77.0.5"]);
  assertEquals(portScanHosts("", ["10.77.0.0/24"], inLab).length, 254);
});

Deno.test("port_targets: nothing, bad syntax, too many hosts and addresses off the subnets are refused", () => {
  const refused = (ip: string, ips: string[], field: string, pattern: RegExp) => {
    const error = assertThrows(() => portScanHosts(ip, ips, inLab), LiwascInputError) as LiwascInputError;
    assertEquals(error.field, field);
    assertEquals(pattern.test(error.message), true, error.message);
  };
  refused("", [], "ip", /no address/);
  refused(" ", ["  "], "ip", /no address/);
  refused("10.77.0.300", [], "ip", /10\.77\.0\.300/);
  refused("10.77.0.9", ["10.77.0.0/33"], "ips", /prefix/);
  refused("", ["10.0.0.0/8"], "ips", new RegExp(`at most ${maxPortScanHosts}`));
  refused("10.77.0.9", ["10.77.1.0/30"], "ips", /10\.77\.1\.1 \(of 10\.77\.1\.0\/30\) is in none/);
  refused("10.78.0.1", [], "ip", /in none/);
});
