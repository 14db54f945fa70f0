/**
 * Google Compute Engine as a CloudProvider, for one project and the zones it is given: instances.list
 * (every page) per zone, insert, start/stop/reset and delete, each change waited for until its zone
 * operation is DONE. The credential is a service-account key (see serviceAccountKeyOf); the API base and
 * the token endpoint can be pointed elsewhere (a private endpoint; the test fake).
 */
import type { Credential } from "../../power/driver.ts";
import { CloudProviderError } from "../errors.ts";
import type { CloudMachine, CloudProvider, CreateMachineSpec } from "../provider.ts";
import type { RetryPolicy } from "../retry.ts";
import { ComputeClient, type ComputeOperation } from "./compute_client.ts";
import { type ComputeInstance, machineFromInstance } from "./gce_mapping.ts";
import { serviceAccountKeyOf, ServiceAccountTokenSource } from "./service_account_token.ts";

export interface GceProviderOptions {
  /** Defaults to the key file's project_id. */
  project?: string;
  /** Zones listed; the first is where machines are made when the spec names none. */
  zones: string[];
  credential: Credential;
  apiBase?: string;
  tokenUrl?: string;
  pageSize?: number;
  retry?: RetryPolicy;
  operationTimeoutMs?: number;
  pollIntervalMs?: number;
  now?: () => Date;
}

const maxPages = 1000;

export class GceProvider implements CloudProvider {
  readonly provider = "gce";
  readonly project: string;
  private readonly client: ComputeClient;

  constructor(private readonly options: GceProviderOptions) {
    const key = serviceAccountKeyOf(options.credential);
    const project = options.project ?? key.projectId;
    if (!project) throw new CloudProviderError("refused", this.provider, "no project given or in the key");
    if (options.zones.length === 0) throw new CloudProviderError("refused", this.provider, "no zone given");
    this.project = project;
    this.client = new ComputeClient({
      project,
      tokens: new ServiceAccountTokenSource(key, options.tokenUrl ?? key.tokenUri, undefined, options.now),
      apiBase: options.apiBase,
      retry: options.retry,
      operationTimeoutMs: options.operationTimeoutMs,
      pollIntervalMs: options.pollIntervalMs,
    });
  }

  async list(signal?: AbortSignal): Promise<CloudMachine[]> {
    const machines: CloudMachine[] = [];
    for (const zone of this.options.zones) {
      let pageToken = "";
      for (let page = 0;; page++) {
        if (page >= maxPages) {
          throw new CloudProviderError(
            "protocol",
            this.provider,
            `instances.list gave more than ${maxPages} pages`,
          );
        }
        const query: Record<string, string> = { maxResults: String(this.options.pageSize ?? 500) };
        if (pageToken) query.pageToken = pageToken;
        const answer = await this.client.request<{ items?: ComputeInstance[]; nextPageToken?: string }>(
          "GET",
          `zones/${encodeURIComponent(zone)}/instances`,
          { query, signal },
        );
        const at = this.now();
        for (const instance of answer.items ?? []) machines.push(machineFromInstance(instance, zone, at));
        pageToken = answer.nextPageToken ?? "";
        if (!pageToken) break;
      }
    }
    return machines;
  }

  async create(spec: CreateMachineSpec, signal?: AbortSignal): Promise<CloudMachine> {
    const zone = spec.location || this.options.zones[0];
    const body = {
      name: spec.name,
      machineType: `zones/${zone}/machineTypes/${spec.size}`,
      labels: spec.labels ?? {},
      disks: [{
        boot: true,
        autoDelete: true,
        type: "PERSISTENT",
        initializeParams: { sourceImage: spec.image },
      }],
      networkInterfaces: [{
        network: "global/networks/default",
        accessConfigs: [{ name: "External NAT", type: "ONE_TO_ONE_NAT" }],
      }],
      metadata: spec.userData === undefined ? {} : { items: [{ key: "user-data", value: spec.userData }] },
    };
    const path = `zones/${encodeURIComponent(zone)}/instances`;
    const operation = await this.client.request<ComputeOperation>("POST", path, { body, signal });
    await this.client.waitForZoneOperation(zone, operation, signal);
    const instance = await this.client.request<ComputeInstance>(
      "GET",
      `${path}/${encodeURIComponent(spec.name)}`,
      { signal },
    );
    return machineFromInstance(instance, zone, this.now());
  }

  async power(providerRef: string, action: "on" | "off" | "cycle", signal?: AbortSignal): Promise<void> {
    const verb = { on: "start", off: "stop", cycle: "reset" }[action];
    await this.change("POST", providerRef, `/${verb}`, signal);
  }

  async delete(providerRef: string, signal?: AbortSignal): Promise<void> {
    await this.change("DELETE", providerRef, "", signal);
  }

  private async change(method: string, providerRef: string, suffix: string, signal?: AbortSignal) {
    const [zone, name] = this.parseRef(providerRef);
    const operation = await this.client.request<ComputeOperation>(
      method,
      `zones/${encodeURIComponent(zone)}/instances/${encodeURIComponent(name)}${suffix}`,
      { signal },
    );
    await this.client.waitForZoneOperation(zone, operation, signal);
  }

  /** "<zone>/<name>", or a bare name when this provider has a single zone. */
  private parseRef(providerRef: string): [string, string] {
    const parts = providerRef.split("/");
    if (parts.length === 2 && parts[0] && parts[1]) return [parts[0], parts[1]];
    if (parts.length === 1 && parts[0] && this.options.zones.length === 1) {
      return [this.options.zones[0], parts[0]];
    }
    throw new CloudProviderError(
      "not-found",
      this.provider,
      `"${providerRef}" is not <zone>/<instance name>`,
    );
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

export function createGceProvider(options: GceProviderOptions): CloudProvider {
  return new GceProvider(options);
}
