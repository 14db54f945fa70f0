/**
 * A public cloud as nodin sees it: machines listed, created, powered and deleted through the provider's
 * own REST API, each mapped to a node with `provider` and `providerRef`. No cloud is reachable from the
 * test machines, so each provider is tested against a fake of its wire protocol (named as a fake) that
 * the provider's own client also checks.
 */
import type { PowerObservation } from "../power/driver.ts";

export interface CloudMachine {
  /** The provider's id: EC2 instance id, GCE "<zone>/<instance name>", DigitalOcean droplet id. */
  providerRef: string;
  name: string;
  /** Provider state as given ("running", "stopped", "active", "off" …). */
  providerState: string;
  power: PowerObservation;
  macs: string[];
  addresses: string[];
  architecture: string;
  labels: Record<string, string>;
  /** Region/zone, size/type, image. */
  placement: Record<string, string>;
}

export interface CreateMachineSpec {
  name: string;
  /** Provider terms: EC2 instance type, GCE machine type, DigitalOcean size slug. */
  size: string;
  image: string;
  /** EC2 region + subnet, GCE zone, DigitalOcean region. */
  location: string;
  labels?: Record<string, string>;
  /** cloud-init user data. */
  userData?: string;
}

export interface CloudProvider {
  /** "aws-ec2", "gce", "digitalocean". */
  readonly provider: string;
  list(signal?: AbortSignal): Promise<CloudMachine[]>;
  create(spec: CreateMachineSpec, signal?: AbortSignal): Promise<CloudMachine>;
  power(providerRef: string, action: "on" | "off" | "cycle", signal?: AbortSignal): Promise<void>;
  delete(providerRef: string, signal?: AbortSignal): Promise<void>;
}
