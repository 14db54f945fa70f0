/**
 * A cloud account nodin lists machines from: which provider, where (region, zones, project, another
 * endpoint) and the credential by reference. The secret itself lives in nodin's credential files.
 */
import type { FieldError } from "../../errors/field_errors.ts";
import { FieldErrors } from "../../errors/field_errors.ts";
import type { Credential } from "../power/driver.ts";
import { createEc2Provider } from "./aws/ec2_provider.ts";
import { createDigitalOceanProvider } from "./digitalocean/do_provider.ts";
import { createGceProvider } from "./gce/gce_provider.ts";
import type { CloudProvider } from "./provider.ts";

export type CloudProviderKind = "aws-ec2" | "gce" | "digitalocean";

/** How the last listing went; kept with the account so the page shows why an account is failing. */
export interface CloudSyncStatus {
  at: number;
  ok: boolean;
  /** "auth: aws-ec2: AuthFailure …" when it failed, else "". */
  error: string;
  machines: number;
}

export interface CloudAccount {
  id: string;
  name: string;
  provider: CloudProviderKind;
  settings: Record<string, string>;
  credentialRef: string;
  created: number;
  lastSync?: CloudSyncStatus;
}

/** The settings each provider takes, and which of them it needs. */
const settingsOf: Record<CloudProviderKind, { allowed: string[]; required: string[] }> = {
  "aws-ec2": { allowed: ["region", "endpoint"], required: ["region"] },
  gce: { allowed: ["zones", "project", "endpoint", "token_url"], required: ["zones"] },
  digitalocean: { allowed: ["endpoint"], required: [] },
};

export const cloudProviderKinds = Object.keys(settingsOf) as CloudProviderKind[];

const namePattern = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,62})$/;
const valuePattern = /^[A-Za-z0-9._,:/-]{1,256}$/;

/** Every wrong field of an account at once, by its API name. */
export function accountErrors(account: Pick<CloudAccount, "name" | "provider" | "settings">): FieldError[] {
  const errors: FieldError[] = [];
  if (!namePattern.test(account.name)) {
    errors.push({
      field: "account.name",
      message: "1-63 letters, digits or . _ -, starting with a letter or digit",
    });
  }
  const shape = settingsOf[account.provider];
  if (!shape) {
    errors.push({ field: "account.provider", message: `one of ${cloudProviderKinds.join(", ")}` });
    return errors;
  }
  for (const [key, value] of Object.entries(account.settings)) {
    const field = `account.settings.${key}`;
    if (!shape.allowed.includes(key)) {
      errors.push({ field, message: `${account.provider} takes ${shape.allowed.join(", ")}` });
    } else if (key === "endpoint" || key === "token_url") {
      if (!/^https?:\/\/[^\s]+$/.test(value) || !URL.canParse(value)) {
        errors.push({ field, message: "an http(s) URL" });
      }
    } else if (!valuePattern.test(value)) {
      errors.push({ field, message: "1-256 letters, digits or . _ , : / -" });
    }
  }
  for (const key of shape.required) {
    if (!account.settings[key]) {
      errors.push({ field: `account.settings.${key}`, message: `${account.provider} needs ${key}` });
    }
  }
  return errors;
}

export function checkAccount<T extends Pick<CloudAccount, "name" | "provider" | "settings">>(account: T): T {
  const errors = accountErrors(account);
  if (errors.length) throw new FieldErrors(errors);
  return account;
}

/** The provider client for an account; throws CloudProviderError when the credential lacks a part. */
export function providerOf(account: CloudAccount, credential: Credential): CloudProvider {
  const { settings } = account;
  const endpoint = settings.endpoint || undefined;
  switch (account.provider) {
    case "aws-ec2":
      return createEc2Provider({ region: settings.region, credential, endpoint });
    case "gce":
      return createGceProvider({
        project: settings.project || undefined,
        zones: settings.zones.split(",").map((zone) => zone.trim()).filter(Boolean),
        credential,
        apiBase: endpoint,
        tokenUrl: settings.token_url || undefined,
      });
    case "digitalocean":
      return createDigitalOceanProvider({ credential, apiBase: endpoint });
  }
}
