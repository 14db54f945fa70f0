// IPMI completion codes (IPMI v2.0, table 5-2), for messages that say what a BMC refused and why.

const COMPLETION_CODES: Readonly<Record<number, string>> = {
  0x00: "command completed normally",
  0xc0: "node busy",
  0xc1: "invalid command",
  0xc2: "command invalid for given LUN",
  0xc3: "timeout while processing command",
  0xc4: "out of space",
  0xc5: "reservation canceled or invalid reservation ID",
  0xc6: "request data truncated",
  0xc7: "request data length invalid",
  0xc8: "request data field length limit exceeded",
  0xc9: "parameter out of range",
  0xca: "cannot return number of requested data bytes",
  0xcb: "requested sensor, data, or record not present",
  0xcc: "invalid data field in request",
  0xcd: "command illegal for specified sensor or record type",
  0xce: "command response could not be provided",
  0xcf: "cannot execute duplicated request",
  0xd0: "SDR repository in update mode",
  0xd1: "device in firmware update mode",
  0xd2: "BMC initialization in progress",
  0xd3: "destination unavailable",
  0xd4: "insufficient privilege level",
  0xd5: "command not supported in present state",
  0xd6: "command sub-function disabled or unavailable",
  0xff: "unspecified error",
};

export function completionCodeText(code: number): string {
  const hex = `0x${code.toString(16).padStart(2, "0")}`;
  const known = COMPLETION_CODES[code];
  if (known) return `${known} (${hex})`;
  if (code >= 0x01 && code <= 0x7e) return `OEM completion code ${hex}`;
  if (code >= 0x80 && code <= 0xbe) return `command-specific completion code ${hex}`;
  return `completion code ${hex}`;
}

/** Codes that mean "this BMC cannot do that", as opposed to a transient or permission failure. */
export function isUnsupportedCompletion(code: number): boolean {
  return code === 0xc1 || code === 0xcc || code === 0xd5 || code === 0xd6 || code === 0x80;
}
