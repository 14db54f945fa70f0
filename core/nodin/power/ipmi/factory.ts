import { cipherSuite, keyBytes, PrivilegeLevel } from "../../../net/ipmi/mod.ts";
import type { BmcReference, Credential, DriverFactory } from "../driver.ts";
import { PowerDriverError } from "../driver.ts";
import { parseBmcAddress } from "./address.ts";
import { IPMI_CAPABILITIES, IpmiPowerDriver } from "./driver.ts";

// The "ipmi" driver as nodin registers it. BmcReference.address is host[:port] (623 by default); the
// credential gives username and password, and optionally the BMC key as Credential.extra.kg (text) or
// extra.kgHex. Options: privilege (user, operator, administrator; default administrator), cipherSuite
// (3, the default, or 17), timeoutMs (per try, default 1000), retries (default 2), netns (open the socket
// in that network namespace).

const PRIVILEGES: Record<string, number> = {
  user: PrivilegeLevel.user,
  operator: PrivilegeLevel.operator,
  administrator: PrivilegeLevel.administrator,
  admin: PrivilegeLevel.administrator,
};

function integerOption(options: Record<string, string>, name: string, fallback: number, max: number): number {
  const text = options[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new PowerDriverError(
      "refused",
      `IPMI option ${name}=${JSON.stringify(text)} is not a whole number up to ${max}`,
    );
  }
  return value;
}

/** Runs `make`, turning a RangeError (a value the codec cannot take) into a PowerDriverError of `kind`. */
function rethrownAs<T>(kind: "auth" | "unsupported", make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof RangeError) throw new PowerDriverError(kind, error.message);
    throw error;
  }
}

function kgOf(credential: Credential): Uint8Array | undefined {
  const extra = credential.extra ?? {};
  if (extra.kgHex !== undefined) {
    const hex = extra.kgHex.replace(/^0x/i, "");
    if (!/^([0-9a-f]{2}){1,20}$/i.test(hex)) {
      throw new PowerDriverError("auth", "IPMI BMC key (kgHex) must be 1 to 20 bytes of hex");
    }
    return Uint8Array.from(hex.match(/../g)!, (pair) => Number.parseInt(pair, 16));
  }
  return extra.kg === undefined
    ? undefined
    : rethrownAs("auth", () => keyBytes("the IPMI BMC key (Kg)", extra.kg!));
}

export function createIpmiDriver(bmc: BmcReference, credential: Credential | undefined): IpmiPowerDriver {
  const options = bmc.options ?? {};
  if (credential?.username === undefined) {
    throw new PowerDriverError(
      "auth",
      `IPMI BMC ${bmc.address} needs a credential with a user name and password`,
    );
  }
  const privilegeName = (options.privilege ?? "administrator").toLowerCase();
  const privilege = PRIVILEGES[privilegeName];
  if (privilege === undefined) {
    throw new PowerDriverError(
      "refused",
      `IPMI privilege "${options.privilege}" is not user, operator or administrator`,
    );
  }
  const suite = rethrownAs("unsupported", () => cipherSuite(integerOption(options, "cipherSuite", 3, 255)));
  const password = rethrownAs("auth", () => keyBytes("the IPMI password", credential.password ?? ""));
  return new IpmiPowerDriver({
    address: parseBmcAddress(bmc.address),
    credentials: { userName: credential.username ?? "", password, kg: kgOf(credential) },
    suite,
    privilege,
    timeoutMs: integerOption(options, "timeoutMs", 1000, 60_000) || 1000,
    retries: integerOption(options, "retries", 2, 10),
    netns: options.netns,
  });
}

export const ipmiDriverFactory: DriverFactory = {
  driver: "ipmi",
  summary:
    "IPMI 2.0 over LAN (RMCP+ lanplus, cipher suite 3): status, on, off, soft off, cycle, reset, boot device",
  capabilities: IPMI_CAPABILITIES,
  create: createIpmiDriver,
};
