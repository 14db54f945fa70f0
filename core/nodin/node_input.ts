import type { FieldError } from "../errors/field_errors.ts";
import { FieldErrors } from "../errors/field_errors.ts";
import { isIpv4 } from "../net/ipv4addr.ts";
import { formatMac, isMac, parseMac } from "../net/mac.ts";
import { labelErrors } from "./labels.ts";
import type { Firmware, NodeRecord } from "./model.ts";
import type { Credential } from "./power/driver.ts";
import type { DriverRegistry } from "./power/registry.ts";
import { checkCredentialRef } from "./secrets.ts";

/** A BMC reference as submitted: the credential, when given, is stored in a file and never returned. */
export interface BmcInput {
  driver: string;
  address: string;
  credentialRef?: string;
  options?: Record<string, string>;
  credential?: Credential;
}

/** A node's editable fields; those left undefined stay as they are (`bmc: null` removes the BMC). */
export interface NodeEdit {
  name?: string;
  labels?: Record<string, string>;
  macs?: string[];
  addresses?: string[];
  architecture?: string;
  firmware?: string;
  bmc?: BmcInput | null;
  bootIntent?: string;
  provider?: string;
  providerRef?: string;
}

const namePattern = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,62})$/;
const wordPattern = /^[A-Za-z0-9._:/-]{0,128}$/;
const firmwares = ["bios", "uefi", ""];

export interface NodeInputContext {
  drivers: DriverRegistry;
  /** The node a MAC already belongs to, if any. */
  ownerOf(mac: string): string | undefined;
}

/**
 * Checks an edit against `node` (the node as it is, or a new one) and returns it applied to a copy,
 * with MACs in canonical form; every wrong field is reported at once, by its API name.
 */
export function applyEdit(node: NodeRecord, edit: NodeEdit, context: NodeInputContext): NodeRecord {
  const errors: FieldError[] = [];
  const next: NodeRecord = structuredClone(node);
  if (edit.name !== undefined) {
    if (!namePattern.test(edit.name)) {
      errors.push({
        field: "name",
        message: "1-63 letters, digits or . _ -, starting with a letter or digit",
      });
    } else next.name = edit.name;
  }
  if (edit.labels !== undefined) {
    errors.push(...labelErrors(edit.labels, "labels"));
    next.labels = { ...edit.labels };
  }
  if (edit.macs !== undefined) {
    const macs: string[] = [];
    edit.macs.forEach((text, i) => {
      if (!isMac(text)) {
        errors.push({
          field: `macs[${i}]`,
          message: `"${text}" is not a MAC address like 02:00:5e:10:00:01`,
        });
        return;
      }
      const mac = formatMac(parseMac(text));
      const owner = context.ownerOf(mac);
      if (owner && owner !== node.id) {
        errors.push({ field: `macs[${i}]`, message: `${mac} is node ${owner}'s` });
      } else if (macs.includes(mac)) errors.push({ field: `macs[${i}]`, message: `${mac} is listed twice` });
      else macs.push(mac);
    });
    next.macs = macs;
  }
  if (edit.addresses !== undefined) {
    edit.addresses.forEach((address, i) => {
      if (!isIpv4(address)) {
        errors.push({ field: `addresses[${i}]`, message: `"${address}" is not an IPv4 address` });
      }
    });
    next.addresses = [...edit.addresses];
  }
  for (const field of ["architecture", "bootIntent", "provider", "providerRef"] as const) {
    const value = edit[field];
    if (value === undefined) continue;
    if (!wordPattern.test(value)) {
      errors.push({ field: snake(field), message: "up to 128 letters, digits or . _ : / -" });
    } else next[field] = value;
  }
  if (edit.firmware !== undefined) {
    if (!firmwares.includes(edit.firmware)) {
      errors.push({ field: "firmware", message: '"bios", "uefi" or empty' });
    } else next.firmware = edit.firmware as Firmware;
  }
  if (edit.bmc === null) delete next.bmc;
  else if (edit.bmc !== undefined) {
    errors.push(...bmcErrors(edit.bmc, context.drivers));
    next.bmc = {
      driver: edit.bmc.driver,
      address: edit.bmc.address,
      options: { ...edit.bmc.options },
      credentialRef: edit.bmc.credentialRef || (edit.bmc.credential ? node.id : undefined),
    };
  }
  if (errors.length) throw new FieldErrors(errors);
  return next;
}

function bmcErrors(bmc: BmcInput, drivers: DriverRegistry): FieldError[] {
  const errors: FieldError[] = [];
  if (!drivers.get(bmc.driver)) {
    const known = drivers.list().map((f) => f.driver);
    errors.push({
      field: "bmc.driver",
      message: `no power driver "${bmc.driver}" (${
        known.length ? `known: ${known.join(", ")}` : "none installed"
      })`,
    });
  }
  if (!bmc.address.trim() || bmc.address.length > 512) {
    errors.push({
      field: "bmc.address",
      message: "where the BMC is: host:port, URL or URI (up to 512 characters)",
    });
  }
  if (bmc.credentialRef) {
    try {
      checkCredentialRef(bmc.credentialRef);
    } catch (error) {
      errors.push({ field: "bmc.credential_ref", message: (error as { reason: string }).reason });
    }
  }
  for (const key of Object.keys(bmc.options ?? {})) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(key)) {
      errors.push({
        field: `bmc.options.${key}`,
        message: "an option name is 1-64 letters, digits or . _ -",
      });
    }
  }
  return errors;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
