/**
 * A DigitalOcean droplet as a CloudMachine. Labels travel as tags "key:value" (a tag without a colon is a
 * label with an empty value), since droplets have tags but no labels.
 */
import type { PowerState } from "../../power/driver.ts";
import { normalizeArchitecture } from "../architecture.ts";
import { CloudProviderError } from "../errors.ts";
import type { CloudMachine } from "../provider.ts";

export interface Droplet {
  id: number;
  name: string;
  status: string;
  tags?: string[];
  size_slug?: string;
  region?: { slug?: string };
  image?: { slug?: string | null; distribution?: string; name?: string };
  networks?: { v4?: { ip_address: string }[]; v6?: { ip_address: string }[] };
}

/** Droplet.status as power; "new" is a droplet still being made and started. */
const powerOfStatus: Record<string, PowerState> = {
  new: "powering-on",
  active: "on",
  off: "off",
  archive: "off",
};

export function machineFromDroplet(droplet: Droplet, at: Date): CloudMachine {
  const labels: Record<string, string> = {};
  for (const tag of droplet.tags ?? []) {
    const colon = tag.indexOf(":");
    if (colon < 0) labels[tag] = "";
    else labels[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  return {
    providerRef: String(droplet.id),
    name: droplet.name,
    providerState: droplet.status,
    power: {
      state: powerOfStatus[droplet.status] ?? "unknown",
      at,
      evidence: `DigitalOcean droplet ${droplet.id}: status ${droplet.status}`,
    },
    // The API does not publish droplets' MAC addresses.
    macs: [],
    addresses: [...droplet.networks?.v4 ?? [], ...droplet.networks?.v6 ?? []].map((network) =>
      network.ip_address
    ),
    // Every droplet size is x86-64.
    architecture: normalizeArchitecture("x86_64"),
    labels,
    placement: {
      region: droplet.region?.slug ?? "",
      size: droplet.size_slug ?? "",
      image: droplet.image?.slug ?? droplet.image?.name ?? "",
    },
  };
}

/** Labels as droplet tags, which allow only letters, digits, ":", "-" and "_". */
export function tagsFromLabels(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => {
    const tag = value === "" ? key : `${key}:${value}`;
    if (!/^[A-Za-z0-9_\-:]{1,255}$/.test(tag) || key.includes(":")) {
      throw new CloudProviderError(
        "refused",
        "digitalocean",
        `label ${key}=${value} cannot be a droplet tag`,
      );
    }
    return tag;
  });
}
