import type { Ipv4Address } from "../net/ipv4addr.ts";
import { cidrContains, formatIpv4 } from "../net/ipv4addr.ts";
import type { MacAddress } from "../net/mac.ts";
import { parseAddressInput } from "./address_input.ts";
import { arpScan } from "./arp_scan.ts";
import { LiwascInputError } from "./input_error.ts";
import type { PlannedJob } from "./jobs/job.ts";
import type { ProbeCounter } from "./metrics.ts";
import { newScanRecord } from "./jobs/scan_jobs.ts";
import type { ScanRecord } from "./model.ts";
import { type ScanTarget, subnetsOf, TargetError, targetsOf } from "./targets.ts";

/** What one interface's ARP sweep found, for the node book. */
export interface NodeSweep {
  interfaceName: string;
  /** Every MAC that answered, per address. */
  hosts: Map<Ipv4Address, MacAddress[]>;
  /** The addresses the sweep asked for (dotted): the ones that stayed silent are offline. */
  asked: Set<string>;
}

export interface NodeScanJobOptions {
  /** The scanner interfaces to sweep, one after the other (already checked). */
  interfaces: string[];
  /** Only these addresses; every host of each interface's subnets when none. */
  ips?: string[];
  startedBy: string;
  /** ARP requests per second, read at each interface's sweep (a settings change applies to the next). */
  ratePerSecond: () => number;
  /** Takes in one interface's sweep (node book, store, names) before the next one starts. */
  takeSweep: (sweep: NodeSweep, signal: AbortSignal) => Promise<void>;
  probes?: ProbeCounter;
}

/**
 * A node scan: an ARP sweep of each interface's subnets (or of the addresses asked for), with progress
 * as answers arrive. The targets are worked out when the job is planned, so a bad request fails before
 * anything is sent.
 */
export function planNodeScan(options: NodeScanJobOptions): PlannedJob<ScanRecord> {
  const ips = (options.ips ?? []).map((text, index) => parseAddressInput(text, `ips[${index}]`));
  const plans = options.interfaces.map((name) => ({ name, targets: targetsFor(name, ips) }))
    .filter((plan) => plan.targets.length > 0);
  const total = plans.reduce((n, plan) => n + plan.targets.length, 0);
  if (ips.length > 0 && total < ips.length) {
    throw new LiwascInputError("ips", "an address is in none of the scanner's subnets");
  }
  const record = newScanRecord("node", options.interfaces.join(","), options.startedBy);
  record.total = total;
  return {
    record,
    async work(job) {
      for (const plan of plans) {
        if (job.signal.aborted) break;
        const before = record.done, foundBefore = record.found;
        const seen = new Set<number>();
        const progress = job.progressPublisher();
        const result = await arpScan({
          interface: plan.name,
          targets: plan.targets,
          ratePerSecond: options.ratePerSecond(),
          signal: job.signal,
          probes: options.probes,
          onSighting: (sighting) => {
            seen.add(sighting.ip);
            record.found = foundBefore + seen.size;
            progress();
          },
        });
        record.done = before + plan.targets.length;
        record.found = foundBefore + result.hosts.size;
        const asked = new Set(plan.targets.map((target) => formatIpv4(target.ip)));
        await options.takeSweep({ interfaceName: plan.name, hosts: result.hosts, asked }, job.signal);
        job.publish();
      }
    },
  };
}

/** The interface's share of the scan: the asked addresses in its subnets, or all its hosts. */
function targetsFor(interfaceName: string, ips: Ipv4Address[]): ScanTarget[] {
  try {
    const subnets = subnetsOf(interfaceName);
    if (ips.length === 0) return targetsOf(subnets);
    return targetsOf(subnets, ips.filter((ip) => subnets.some((subnet) => cidrContains(subnet, ip))));
  } catch (error) {
    if (error instanceof TargetError) throw new LiwascInputError("interface", error.message);
    throw error;
  }
}
