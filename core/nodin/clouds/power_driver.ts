/**
 * A cloud machine's power as a PowerDriver, so cloud nodes go through the same desired-state loop as lab
 * nodes: status is the provider's listing of the machine, on/off/cycle are the provider's power calls.
 * A cloud node's BMC reference is { driver: "cloud", address: <providerRef>, options.account: <account
 * id>, credentialRef: the account's }.
 */
import type {
  BmcReference,
  Credential,
  DriverFactory,
  PowerAction,
  PowerCapabilities,
  PowerDriver,
  PowerObservation,
} from "../power/driver.ts";
import { PowerDriverError } from "../power/driver.ts";
import { type CloudAccount, providerOf } from "./account.ts";
import { CloudProviderError } from "./errors.ts";
import type { CloudProvider } from "./provider.ts";

export const cloudDriverName = "cloud";

const capabilities: PowerCapabilities = { status: true, actions: ["on", "off", "cycle"], bootDevices: [] };

/** The reference that makes a node's power go through its cloud account. */
export function cloudBmc(account: CloudAccount, providerRef: string): BmcReference {
  return {
    driver: cloudDriverName,
    address: providerRef,
    credentialRef: account.credentialRef,
    options: { account: account.id },
  };
}

/** The source (and evidence prefix) a cloud account's findings carry: "cloud:<account name>". */
export const cloudSource = (account: Pick<CloudAccount, "name">) => `cloud:${account.name}`;

export class CloudPowerDriver implements PowerDriver {
  readonly driver = cloudDriverName;

  constructor(
    private readonly account: CloudAccount,
    private readonly provider: CloudProvider,
    private readonly providerRef: string,
  ) {}

  capabilities(): PowerCapabilities {
    return capabilities;
  }

  async status(signal?: AbortSignal): Promise<PowerObservation> {
    const source = cloudSource(this.account);
    try {
      const machine = (await this.provider.list(signal)).find((m) => m.providerRef === this.providerRef);
      if (!machine) {
        return { state: "unknown", at: new Date(), evidence: `${source}: ${this.providerRef} is not listed` };
      }
      return { ...machine.power, evidence: `${source}: ${machine.power.evidence}` };
    } catch (error) {
      return { state: "unknown", at: new Date(), evidence: `${source}: ${describeCloudError(error)}` };
    }
  }

  async act(action: PowerAction, signal?: AbortSignal): Promise<void> {
    if (action !== "on" && action !== "off" && action !== "cycle") {
      throw new PowerDriverError("unsupported", `a cloud machine cannot ${action}`);
    }
    try {
      await this.provider.power(this.providerRef, action, signal);
    } catch (error) {
      throw powerErrorOf(error);
    }
  }
}

/** "auth: aws-ec2: AuthFailure: …", the kind first so a page and a log line say what to fix. */
export function describeCloudError(error: unknown): string {
  if (error instanceof CloudProviderError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function powerErrorOf(error: unknown): PowerDriverError {
  if (!(error instanceof CloudProviderError)) {
    return new PowerDriverError("protocol", describeCloudError(error));
  }
  const kind = error.kind === "auth" || error.kind === "unreachable" ? error.kind : "refused";
  return new PowerDriverError(kind, error.message);
}

/** The "cloud" power driver, over the accounts nodin knows (looked up when a node's driver is made). */
export function cloudDriverFactory(accountOf: (id: string) => CloudAccount | undefined): DriverFactory {
  return {
    driver: cloudDriverName,
    summary: "a cloud machine's power through its account's provider (EC2, GCE, DigitalOcean)",
    capabilities,
    create(bmc: BmcReference, credential: Credential | undefined): PowerDriver {
      const account = accountOf(bmc.options?.account ?? "");
      if (!account) throw new PowerDriverError("refused", `no cloud account "${bmc.options?.account ?? ""}"`);
      if (!credential) throw new PowerDriverError("auth", `cloud account ${account.name} has no credential`);
      try {
        return new CloudPowerDriver(account, providerOf(account, credential), bmc.address);
      } catch (error) {
        throw powerErrorOf(error);
      }
    },
  };
}
