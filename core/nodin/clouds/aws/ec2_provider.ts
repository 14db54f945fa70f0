/**
 * AWS EC2 as a CloudProvider: DescribeInstances (all pages) lists, RunInstances creates (name and labels
 * as tags), Start/Stop/RebootInstances power, TerminateInstances deletes. One provider per region; the
 * credential holds the access key id (username), the secret (password) and an optional session token
 * (extra.sessionToken).
 */
import type { Credential } from "../../power/driver.ts";
import { CloudProviderError } from "../errors.ts";
import type { CloudMachine, CloudProvider, CreateMachineSpec } from "../provider.ts";
import type { RetryPolicy } from "../retry.ts";
import { Ec2Client } from "./ec2_client.ts";
import { machineFromInstance } from "./ec2_mapping.ts";
import { items, textAt } from "./xml.ts";

export interface Ec2ProviderOptions {
  region: string;
  credential: Credential;
  /** Another endpoint than https://ec2.<region>.amazonaws.com/ (a VPC endpoint; the test fake). */
  endpoint?: string;
  /** DescribeInstances MaxResults per page (5–1000). */
  pageSize?: number;
  retry?: RetryPolicy;
  now?: () => Date;
}

/** Instances that are gone (terminated ones stay visible for about an hour) are not listed. */
const goneStates = new Set(["terminated"]);
const maxPages = 1000;

export class Ec2Provider implements CloudProvider {
  readonly provider = "aws-ec2";
  private readonly client: Ec2Client;

  constructor(private readonly options: Ec2ProviderOptions) {
    const { username, password, extra } = options.credential;
    if (!username || !password) {
      throw new CloudProviderError(
        "auth",
        this.provider,
        "the credential needs an access key id and a secret",
      );
    }
    this.client = new Ec2Client({
      region: options.region,
      credentials: { accessKeyId: username, secretAccessKey: password, sessionToken: extra?.sessionToken },
      endpoint: options.endpoint,
      retry: options.retry,
      now: options.now,
    });
  }

  async list(signal?: AbortSignal): Promise<CloudMachine[]> {
    const machines: CloudMachine[] = [];
    let nextToken = "";
    for (let page = 0; page < maxPages; page++) {
      const params: Record<string, string> = { MaxResults: String(this.options.pageSize ?? 1000) };
      if (nextToken) params.NextToken = nextToken;
      const root = await this.client.call("DescribeInstances", params, signal);
      const at = this.now();
      for (const reservation of items(root, "reservationSet")) {
        for (const instance of items(reservation, "instancesSet")) {
          const machine = machineFromInstance(instance, this.options.region, at);
          if (!goneStates.has(machine.providerState)) machines.push(machine);
        }
      }
      nextToken = textAt(root, "nextToken");
      if (!nextToken) return machines;
    }
    throw new CloudProviderError(
      "protocol",
      this.provider,
      `DescribeInstances gave more than ${maxPages} pages`,
    );
  }

  async create(spec: CreateMachineSpec, signal?: AbortSignal): Promise<CloudMachine> {
    const params: Record<string, string> = {
      ImageId: spec.image,
      InstanceType: spec.size,
      MinCount: "1",
      MaxCount: "1",
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": spec.name,
    };
    Object.entries(spec.labels ?? {}).forEach(([key, value], index) => {
      params[`TagSpecification.1.Tag.${index + 2}.Key`] = key;
      params[`TagSpecification.1.Tag.${index + 2}.Value`] = value;
    });
    Object.assign(params, this.placementParams(spec.location));
    if (spec.userData !== undefined) params.UserData = base64(spec.userData);
    const root = await this.client.call("RunInstances", params, signal);
    const instance = items(root, "instancesSet")[0];
    if (!instance) {
      throw new CloudProviderError("protocol", this.provider, "RunInstances answered no instance");
    }
    return machineFromInstance(instance, this.options.region, this.now());
  }

  async power(providerRef: string, action: "on" | "off" | "cycle", signal?: AbortSignal): Promise<void> {
    const operation = { on: "StartInstances", off: "StopInstances", cycle: "RebootInstances" }[action];
    await this.client.call(operation, { "InstanceId.1": providerRef }, signal);
  }

  async delete(providerRef: string, signal?: AbortSignal): Promise<void> {
    await this.client.call("TerminateInstances", { "InstanceId.1": providerRef }, signal);
  }

  /**
   * The location is "<region>", "<availability zone>" or either followed by "/<subnet id>"; the region
   * must be this provider's (EC2 endpoints are regional).
   */
  private placementParams(location: string): Record<string, string> {
    const [place, subnet] = location.split("/", 2);
    const params: Record<string, string> = {};
    if (place && place !== this.options.region) {
      if (
        !place.startsWith(this.options.region) || !/^[a-z]$/.test(place.slice(this.options.region.length))
      ) {
        throw new CloudProviderError(
          "refused",
          this.provider,
          `location ${location} is not in region ${this.options.region}`,
        );
      }
      params["Placement.AvailabilityZone"] = place;
    }
    if (subnet) params.SubnetId = subnet;
    return params;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

export function createEc2Provider(options: Ec2ProviderOptions): CloudProvider {
  return new Ec2Provider(options);
}

function base64(text: string): string {
  return btoa(Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join(""));
}
