import { type FieldError, FieldErrors } from "../errors/field_errors.ts";
import { interfaceExists, ipv4Addresses } from "../sys/mod.ts";

/** Where bofied serves booting machines (BootSettings in bofied.proto). "" means off / not set. */
export interface BootSettings {
  tftpInterface: string;
  proxyDhcpInterface: string;
  bootAddress: string;
}

export type BootSettingField = keyof BootSettings;

export const noBootSettings: BootSettings = { tftpInterface: "", proxyDhcpInterface: "", bootAddress: "" };

/** The fields a command-line flag sets, with the flags as given; the page shows them read-only. */
export type FlagSettings = Partial<Record<BootSettingField, { value: string; flag: string }>>;

const interfaceName = /^[^\s/:]{1,15}$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The stored settings with every flag-set field replaced by its flag. */
export function settingsInForce(stored: BootSettings, flags: FlagSettings): BootSettings {
  const settings = { ...stored };
  for (const [field, set] of Object.entries(flags) as [BootSettingField, { value: string }][]) {
    settings[field] = set.value;
  }
  return settings;
}

/** The first IPv4 address of `name`, or "" when it has none or does not exist. */
export function interfaceIpv4(name: string): string {
  if (!name || !interfaceName.test(name) || !interfaceExists(name)) return "";
  return ipv4Addresses(name)[0]?.address ?? "";
}

/**
 * The address booting machines are told to come back to: the one set, else the TFTP interface's (TFTP is
 * where the next file comes from), else the proxyDHCP interface's; "" when none is known.
 */
export function effectiveBootAddress(settings: BootSettings): string {
  return settings.bootAddress || interfaceIpv4(settings.tftpInterface) ||
    interfaceIpv4(settings.proxyDhcpInterface);
}

/**
 * Checks settings a client wants against this machine's interfaces, as the kernel sees them now; throws
 * FieldErrors naming every wrong field. A field a flag sets may be sent back unchanged, never changed.
 */
export function checkBootSettings(wanted: BootSettings, flags: FlagSettings): void {
  const errors: FieldError[] = [];
  for (const field of ["tftpInterface", "proxyDhcpInterface", "bootAddress"] as const) {
    const value = wanted[field];
    const set = flags[field];
    if (set) {
      if (value !== set.value) errors.push({ field, message: `set by ${set.flag}; change the flag instead` });
      continue;
    }
    if (value === "") continue;
    if (field === "bootAddress") {
      if (!ipv4.test(value)) errors.push({ field, message: `"${value}" is not an IPv4 address` });
      continue;
    }
    const problem = interfaceProblem(value);
    if (problem) errors.push({ field, message: problem });
  }
  if (errors.length) throw new FieldErrors(errors);
}

/** Why booting machines could not be served on `name`, or undefined when they can. */
export function interfaceProblem(name: string): string | undefined {
  if (!interfaceName.test(name)) return `"${name}" is not an interface name`;
  if (!interfaceExists(name)) return `no interface ${name} on this machine`;
  if (ipv4Addresses(name).length === 0) {
    return `${name} has no IPv4 address: booting machines could not reach it`;
  }
  return undefined;
}

/** What GetBootSettings answers. */
export interface BootSettingsView {
  settings: BootSettings;
  setByFlag: Record<string, string>;
  effectiveBootAddress: string;
  tftpPort: number;
  proxyDhcpServing: boolean;
  starterMissing: string[];
}

/** The boot flags given at start, as the fields they set (a flag wins over the page). */
export function flagSettingsOf(flags: {
  tftpListen?: { hostname: string; port: number };
  tftpInterface: string;
  proxyDhcpInterface: string;
  bootAddress: string;
}): FlagSettings {
  const set: FlagSettings = {};
  if (flags.tftpListen) {
    const { hostname, port } = flags.tftpListen;
    const device = flags.tftpInterface ? ` --tftp-interface ${flags.tftpInterface}` : "";
    set.tftpInterface = { value: flags.tftpInterface, flag: `--tftp-listen ${hostname}:${port}${device}` };
  }
  if (flags.proxyDhcpInterface) {
    set.proxyDhcpInterface = {
      value: flags.proxyDhcpInterface,
      flag: `--proxy-dhcp-interface ${flags.proxyDhcpInterface}`,
    };
  }
  if (flags.bootAddress) {
    set.bootAddress = { value: flags.bootAddress, flag: `--boot-address ${flags.bootAddress}` };
  }
  return set;
}
