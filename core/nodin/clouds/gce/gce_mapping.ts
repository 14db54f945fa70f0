/** A Compute Engine `Instance` resource as a CloudMachine; its providerRef is "<zone>/<name>". */
import type { PowerState } from "../../power/driver.ts";
import { normalizeArchitecture } from "../architecture.ts";
import type { CloudMachine } from "../provider.ts";

export interface ComputeInstance {
  name: string;
  id?: string;
  status: string;
  zone?: string;
  machineType?: string;
  labels?: Record<string, string>;
  networkInterfaces?: { networkIP?: string; ipv6Address?: string; accessConfigs?: { natIP?: string }[] }[];
  disks?: { boot?: boolean; architecture?: string; licenses?: string[]; source?: string }[];
}

/** Instance.status (the discovery document's enum) as power. */
const powerOfStatus: Record<string, PowerState> = {
  PROVISIONING: "powering-on",
  STAGING: "powering-on",
  RUNNING: "on",
  STOPPING: "powering-off",
  SUSPENDING: "powering-off",
  DEPROVISIONING: "powering-off",
  STOPPED: "off",
  SUSPENDED: "off",
  TERMINATED: "off",
  REPAIRING: "unknown",
};

/** The last path segment of a resource URL ("…/zones/europe-west1-b" → "europe-west1-b"). */
export function lastSegment(url: string | undefined): string {
  return (url ?? "").split("/").pop() ?? "";
}

export function machineFromInstance(instance: ComputeInstance, fallbackZone: string, at: Date): CloudMachine {
  const zone = lastSegment(instance.zone) || fallbackZone;
  const addresses: string[] = [];
  for (const networkInterface of instance.networkInterfaces ?? []) {
    if (networkInterface.networkIP) addresses.push(networkInterface.networkIP);
    if (networkInterface.ipv6Address) addresses.push(networkInterface.ipv6Address);
    for (const access of networkInterface.accessConfigs ?? []) if (access.natIP) addresses.push(access.natIP);
  }
  const bootDisk = (instance.disks ?? []).find((disk) => disk.boot);
  return {
    providerRef: `${zone}/${instance.name}`,
    name: instance.name,
    providerState: instance.status,
    power: {
      state: powerOfStatus[instance.status] ?? "unknown",
      at,
      evidence: `GCE instances ${zone}/${instance.name}: status ${instance.status}`,
    },
    // Compute Engine does not publish its virtual NICs' MAC addresses.
    macs: [],
    addresses,
    architecture: normalizeArchitecture(bootDisk?.architecture),
    labels: { ...instance.labels },
    placement: {
      zone,
      region: zone.replace(/-[a-z]$/, ""),
      size: lastSegment(instance.machineType),
      image: lastSegment(bootDisk?.licenses?.[0]),
    },
  };
}
