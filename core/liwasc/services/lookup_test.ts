import { assert, assertEquals } from "../../testing/assert.ts";
import { registeredPorts, serviceOf, servicesSource } from "./lookup.ts";

Deno.test("services: well-known ports have their IANA names", () => {
  assertEquals(serviceOf(22, "tcp"), { name: "ssh", description: "The Secure Shell (SSH) Protocol" });
  assertEquals(serviceOf(53, "udp")?.name, "domain");
  assertEquals(serviceOf(80, "tcp")?.name, "http");
  assertEquals(serviceOf(443, "tcp")?.name, "https");
  assertEquals(serviceOf(123, "udp")?.name, "ntp");
  assertEquals(serviceOf(161, "udp")?.name, "snmp");
  assertEquals(serviceOf(5353, "udp")?.name, "mdns");
  assertEquals(serviceOf(2379, "tcp")?.name, "etcd-client");
  // Kubernetes' API server port is registered to someone else; the registry name is what we report.
  assertEquals(serviceOf(6443, "tcp")?.name, "sun-sr-https");
});

Deno.test("services: tcp and udp can name the same port differently", () => {
  assertEquals(serviceOf(623, "tcp")?.name, "oob-ws-http");
  assertEquals(serviceOf(623, "udp")?.name, "asf-rmcp");
  assertEquals(serviceOf(465, "tcp")?.name, "urd");
  assertEquals(serviceOf(465, "udp")?.name, "igmpv3lite");
});

Deno.test("services: ranges in the registry cover each port", () => {
  // x11 is registered as 6000-6063.
  assertEquals(serviceOf(6000, "tcp")?.name, "x11");
  assertEquals(serviceOf(6063, "udp")?.name, "x11");
});

Deno.test("services: unregistered and impossible ports are undefined", () => {
  for (const port of [0, 4, 10250, 65535, -1, 65536, 22.5, Number.NaN]) {
    assertEquals(serviceOf(port, "tcp"), undefined, `tcp ${port}`);
    assertEquals(serviceOf(port, "udp"), undefined, `udp ${port}`);
  }
});

Deno.test("services: a result cannot be changed by the caller", () => {
  const ssh = serviceOf(22, "tcp")!;
  assert(Object.isFrozen(ssh));
  try {
    (ssh as { name: string }).name = "changed";
  } catch { /* strict mode throws on frozen objects; either way nothing changes */ }
  assertEquals(serviceOf(22, "tcp")?.name, "ssh");
});

Deno.test("services: registered ports are ascending, unique and in range", () => {
  for (const protocol of ["tcp", "udp"] as const) {
    const ports = registeredPorts(protocol);
    assert(ports.length > 5000, `${protocol}: only ${ports.length} registered ports`);
    assert(ports.every((port, i) => port >= 1 && port <= 65535 && (i === 0 || port > ports[i - 1])));
    assert(ports.includes(22));
  }
});

Deno.test("services: the table records its source", () => {
  assert(servicesSource.file.length > 0);
  assertEquals(servicesSource.sha256.length, 64);
});
