import type { Decoded } from "../errors.ts";
import { decodeSubOptions, encodeSubOptions, type SubOption } from "./suboptions.ts";
import type { OptionCodec } from "./values.ts";

// Option 82, relay agent information (RFC 3046): sub-options added by a relay between client and server.
// A server must echo the option back unchanged in its reply to the relay, so the option map keeps the raw
// bytes (`message.options.get(82)`); this decodes them for policy (which port, which switch).

/** RFC 3046 §3.1. */
export const RELAY_AGENT_CIRCUIT_ID = 1;
/** RFC 3046 §3.2. */
export const RELAY_AGENT_REMOTE_ID = 2;
/** RFC 3527: the subnet to allocate from, when giaddr cannot say it. */
export const RELAY_AGENT_LINK_SELECTION = 5;
/** RFC 3993. */
export const RELAY_AGENT_SUBSCRIBER_ID = 6;
/** RFC 5107. */
export const RELAY_AGENT_SERVER_ID_OVERRIDE = 11;

export function decodeRelayAgentInformation(data: Uint8Array): Decoded<SubOption[]> {
  return decodeSubOptions(data, { layer: "dhcp relay agent information", padAndEnd: false });
}

export function encodeRelayAgentInformation(list: readonly SubOption[]): Uint8Array<ArrayBuffer> {
  return encodeSubOptions(list);
}

export const RELAY_AGENT_INFORMATION: OptionCodec<SubOption[]> = {
  decode: decodeRelayAgentInformation,
  encode: encodeRelayAgentInformation,
};

/** The data of the first sub-option `code`, or undefined. */
export function findSubOption(list: readonly SubOption[], code: number): Uint8Array | undefined {
  return list.find((item) => item.code === code)?.data;
}
