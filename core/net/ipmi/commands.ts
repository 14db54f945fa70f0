import { type Decoded, decoded, decodeFailure } from "../errors.ts";

// The request and response data of the commands a power driver needs (IPMI v2.0 sections 22.13, 22.18,
// 22.19, 28.2, 28.3, 28.12, 28.13). Each decoder takes the response data after the completion code.

export const NetFn = { chassis: 0x00, app: 0x06 } as const;

export const Command = {
  getChassisStatus: 0x01,
  chassisControl: 0x02,
  setSystemBootOptions: 0x08,
  getSystemBootOptions: 0x09,
  getChannelAuthCapabilities: 0x38,
  setSessionPrivilegeLevel: 0x3b,
  closeSession: 0x3c,
} as const;

/** The channel number meaning "the channel this request arrived on". */
export const CURRENT_CHANNEL = 0x0e;

export function getChannelAuthCapabilitiesData(privilege: number): Uint8Array<ArrayBuffer> {
  // Bit 7: "get IPMI v2.0+ extended data", so an RMCP+ BMC says it speaks 2.0.
  return Uint8Array.of(0x80 | CURRENT_CHANNEL, privilege & 0x0f);
}

export interface ChannelAuthCapabilities {
  channel: number;
  /** Byte 2 bit 7: the extended capabilities byte is meaningful. */
  extendedCapabilities: boolean;
  /** Byte 4 bit 1: the channel accepts IPMI v2.0 (RMCP+) sessions. */
  ipmi20: boolean;
  /** Byte 3 bit 5: a BMC key (Kg) other than the default is set. */
  kgSet: boolean;
  /** Byte 3 bit 2: anonymous login enabled (null user name and password). */
  anonymousLogin: boolean;
}

export function decodeChannelAuthCapabilities(data: Uint8Array): Decoded<ChannelAuthCapabilities> {
  if (data.length < 8) {
    return decodeFailure("get channel authentication capabilities", `${data.length} bytes is shorter than 8`);
  }
  const extendedCapabilities = (data[1] & 0x80) !== 0;
  return decoded({
    channel: data[0] & 0x0f,
    extendedCapabilities,
    ipmi20: extendedCapabilities && (data[3] & 0x02) !== 0,
    kgSet: (data[2] & 0x20) !== 0,
    anonymousLogin: (data[2] & 0x04) !== 0,
  });
}

export function closeSessionData(managedSessionId: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, managedSessionId >>> 0, true);
  return bytes;
}

export interface ChassisStatus {
  powerOn: boolean;
  powerOverload: boolean;
  interlock: boolean;
  powerFault: boolean;
  powerControlFault: boolean;
  /** 0: stays off, 1: restores the previous state, 2: powers up, 3: unknown. */
  powerRestorePolicy: number;
  lastPowerEvent: number;
  miscellaneous: number;
}

export function decodeChassisStatus(data: Uint8Array): Decoded<ChassisStatus> {
  if (data.length < 3) return decodeFailure("get chassis status", `${data.length} bytes is shorter than 3`);
  const state = data[0];
  return decoded({
    powerOn: (state & 0x01) !== 0,
    powerOverload: (state & 0x02) !== 0,
    interlock: (state & 0x04) !== 0,
    powerFault: (state & 0x08) !== 0,
    powerControlFault: (state & 0x10) !== 0,
    powerRestorePolicy: (state >>> 5) & 0x03,
    lastPowerEvent: data[1],
    miscellaneous: data[2],
  });
}

export const ChassisControl = {
  powerDown: 0x00,
  powerUp: 0x01,
  powerCycle: 0x02,
  hardReset: 0x03,
  diagnosticInterrupt: 0x04,
  softShutdown: 0x05,
} as const;

/** Boot parameter 5 ("boot flags") device selector values, bits 5:2 of its second byte. */
export const BootDeviceSelector = {
  none: 0x0,
  pxe: 0x1,
  disk: 0x2,
  diskSafeMode: 0x3,
  diagnostic: 0x4,
  cdrom: 0x5,
  bios: 0x6,
  remoteFloppy: 0x7,
  remoteCdrom: 0x8,
  remoteMedia: 0x9,
  remoteDisk: 0xb,
  floppy: 0xf,
} as const;

export const BOOT_PARAMETER_SET_IN_PROGRESS = 0;
export const BOOT_PARAMETER_INFO_ACK = 4;
export const BOOT_PARAMETER_FLAGS = 5;

export interface BootFlags {
  /** Byte 1 bit 7: the flags apply. */
  valid: boolean;
  /** Byte 1 bit 6: for every boot rather than the next one only. */
  persistent: boolean;
  /** Byte 1 bit 5: EFI rather than legacy (PC compatible) boot. */
  efi: boolean;
  device: number;
}

export function setBootFlagsData(flags: BootFlags): Uint8Array<ArrayBuffer> {
  return Uint8Array.of(
    BOOT_PARAMETER_FLAGS,
    (flags.valid ? 0x80 : 0) | (flags.persistent ? 0x40 : 0) | (flags.efi ? 0x20 : 0),
    (flags.device & 0x0f) << 2,
    0,
    0,
    0,
  );
}

export function getBootParameterData(parameter: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.of(parameter & 0x7f, 0, 0);
}

export function decodeBootFlags(data: Uint8Array): Decoded<BootFlags> {
  const layer = "get system boot options";
  if (data.length < 2) return decodeFailure(layer, `${data.length} bytes is shorter than 2`);
  if ((data[1] & 0x7f) !== BOOT_PARAMETER_FLAGS) {
    return decodeFailure(layer, `parameter ${data[1] & 0x7f} answered where 5 (boot flags) was asked`);
  }
  if (data.length < 4) {
    return decodeFailure(layer, `boot flags of ${data.length - 2} bytes, at least 2 needed`);
  }
  return decoded({
    valid: (data[2] & 0x80) !== 0,
    persistent: (data[2] & 0x40) !== 0,
    efi: (data[2] & 0x20) !== 0,
    device: (data[3] >>> 2) & 0x0f,
  });
}
