/** An EC2 `Instance` (DescribeInstances / RunInstances item) as a CloudMachine. */
import type { PowerState } from "../../power/driver.ts";
import { normalizeArchitecture } from "../architecture.ts";
import type { CloudMachine } from "../provider.ts";
import { type Element, items, textAt } from "./xml.ts";

/** EC2's instance states (InstanceStateName) as power. */
const powerOfState: Record<string, PowerState> = {
  pending: "powering-on",
  running: "on",
  "shutting-down": "powering-off",
  stopping: "powering-off",
  stopped: "off",
  terminated: "off",
};

export function machineFromInstance(item: Element, region: string, at: Date): CloudMachine {
  const instanceId = textAt(item, "instanceId");
  const state = textAt(item, "instanceState/name");
  const code = textAt(item, "instanceState/code");
  const tags = new Map(items(item, "tagSet").map((tag) => [textAt(tag, "key"), textAt(tag, "value")]));
  const labels: Record<string, string> = {};
  for (const [key, value] of tags) if (key !== "Name") labels[key] = value;
  const interfaces = items(item, "networkInterfaceSet");
  const addresses = new Set<string>();
  for (
    const value of [textAt(item, "privateIpAddress"), textAt(item, "ipAddress"), textAt(item, "ipv6Address")]
  ) {
    if (value) addresses.add(value);
  }
  for (const networkInterface of interfaces) {
    for (const path of ["privateIpAddress", "association/publicIp"]) {
      const value = textAt(networkInterface, path);
      if (value) addresses.add(value);
    }
    for (const ipv6 of items(networkInterface, "ipv6AddressesSet")) {
      addresses.add(textAt(ipv6, "ipv6Address"));
    }
  }
  return {
    providerRef: instanceId,
    name: tags.get("Name") ?? instanceId,
    providerState: state,
    power: {
      state: powerOfState[state] ?? "unknown",
      at,
      evidence: `EC2 DescribeInstances ${region}: ${instanceId} instanceState ${state} (code ${code})`,
    },
    macs: interfaces.map((networkInterface) => textAt(networkInterface, "macAddress").toLowerCase())
      .filter((mac) => mac),
    addresses: [...addresses].filter((address) => address),
    architecture: normalizeArchitecture(textAt(item, "architecture")),
    labels,
    placement: {
      region,
      zone: textAt(item, "placement/availabilityZone"),
      size: textAt(item, "instanceType"),
      image: textAt(item, "imageId"),
    },
  };
}
