/**
 * DigitalOcean as a CloudProvider: droplets listed (every page), created, powered through droplet
 * actions (power_on, power_off, power_cycle; shutdown for a graceful off) that are waited for until
 * completed, and deleted. The credential's password, or extra.token, is the API token.
 */
import type { Credential } from "../../power/driver.ts";
import { CloudProviderError } from "../errors.ts";
import type { CloudMachine, CloudProvider, CreateMachineSpec } from "../provider.ts";
import type { RetryPolicy } from "../retry.ts";
import { type DoAction, DoClient } from "./do_client.ts";
import { type Droplet, machineFromDroplet, tagsFromLabels } from "./do_mapping.ts";

export interface DigitalOceanProviderOptions {
  credential: Credential;
  apiBase?: string;
  pageSize?: number;
  retry?: RetryPolicy;
  /** How long a droplet action may run before we stop waiting. */
  actionTimeoutMs?: number;
  pollIntervalMs?: number;
  now?: () => Date;
}

interface DropletPage {
  droplets: Droplet[];
  links?: { pages?: { next?: string } };
}

const maxPages = 1000;

export class DigitalOceanProvider implements CloudProvider {
  readonly provider = "digitalocean";
  private readonly client: DoClient;

  constructor(private readonly options: DigitalOceanProviderOptions) {
    const token = options.credential.extra?.token ?? options.credential.password;
    if (!token) throw new CloudProviderError("auth", this.provider, "the credential holds no API token");
    this.client = new DoClient({ token, apiBase: options.apiBase, retry: options.retry });
  }

  async list(signal?: AbortSignal): Promise<CloudMachine[]> {
    const machines: CloudMachine[] = [];
    let next: string | URL = `droplets?per_page=${this.options.pageSize ?? 200}`;
    for (let page = 0;; page++) {
      if (page >= maxPages) {
        throw new CloudProviderError("protocol", this.provider, `droplets gave more than ${maxPages} pages`);
      }
      const answer: DropletPage = await this.client.request<DropletPage>("GET", next, undefined, signal);
      const at = this.now();
      for (const droplet of answer.droplets ?? []) machines.push(machineFromDroplet(droplet, at));
      const link = answer.links?.pages?.next;
      if (!link) return machines;
      next = new URL(link);
    }
  }

  async create(spec: CreateMachineSpec, signal?: AbortSignal): Promise<CloudMachine> {
    const answer = await this.client.request<{ droplet: Droplet }>("POST", "droplets", {
      name: spec.name,
      region: spec.location,
      size: spec.size,
      image: spec.image,
      tags: tagsFromLabels(spec.labels ?? {}),
      ...(spec.userData === undefined ? {} : { user_data: spec.userData }),
    }, signal);
    return machineFromDroplet(answer.droplet, this.now());
  }

  async power(providerRef: string, action: "on" | "off" | "cycle", signal?: AbortSignal): Promise<void> {
    const type = { on: "power_on", off: "power_off", cycle: "power_cycle" }[action];
    await this.act(providerRef, type, signal);
  }

  /** Asks the droplet's OS to shut down (ACPI), where power(…, "off") cuts power. */
  async shutdown(providerRef: string, signal?: AbortSignal): Promise<void> {
    await this.act(providerRef, "shutdown", signal);
  }

  async delete(providerRef: string, signal?: AbortSignal): Promise<void> {
    await this.client.request("DELETE", `droplets/${dropletId(providerRef)}`, undefined, signal);
  }

  private async act(providerRef: string, type: string, signal?: AbortSignal) {
    const path = `droplets/${dropletId(providerRef)}/actions`;
    let { action } = await this.client.request<{ action: DoAction }>("POST", path, { type }, signal);
    const deadline = Date.now() + (this.options.actionTimeoutMs ?? 300_000);
    let interval = this.options.pollIntervalMs ?? 500;
    while (action.status === "in-progress") {
      if (Date.now() > deadline) {
        throw new CloudProviderError(
          "unreachable",
          this.provider,
          `action ${type} on ${providerRef} did not finish in time`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(interval * 2, 3_000);
      signal?.throwIfAborted();
      ({ action } = await this.client.request<{ action: DoAction }>(
        "GET",
        `actions/${action.id}`,
        undefined,
        signal,
      ));
    }
    if (action.status !== "completed") {
      throw new CloudProviderError(
        "refused",
        this.provider,
        `action ${type} on droplet ${providerRef} ${action.status}`,
      );
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function dropletId(providerRef: string): string {
  if (!/^\d+$/.test(providerRef)) {
    throw new CloudProviderError("not-found", "digitalocean", `"${providerRef}" is not a droplet id`);
  }
  return providerRef;
}

export function createDigitalOceanProvider(options: DigitalOceanProviderOptions): CloudProvider {
  return new DigitalOceanProvider(options);
}
