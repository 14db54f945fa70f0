import { assert, assertEquals, assertStrictEquals } from "../../testing/assert.ts";
import { toHexString } from "../bytes.ts";
import { unwrap } from "../errors.ts";
import { cipherSuite } from "./cipher_suite.ts";
import { Command, decodeChannelAuthCapabilities, decodeChassisStatus, NetFn } from "./commands.ts";
import {
  additionalKey,
  decryptAesCbc128,
  encryptAesCbc128,
  integrityCode,
  keyBytes,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4CheckValue,
  type RakpValues,
  sessionIntegrityKey,
} from "./crypto.ts";
import { decodeIpmiRequest, decodeIpmiResponse, encodeIpmiRequest } from "./message.ts";
import {
  decodeOpenSessionResponse,
  decodeRakp1,
  decodeRakp2,
  decodeRakp3,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
  rmcpPlusStatusText,
} from "./rakp.ts";
import { decodeSessionPacket, encodeV15Packet, encodeV20Packet, PayloadType } from "./session_header.ts";
import {
  type CapturedDatagram,
  PYGHMI_IPMIPOWER_STAT,
  PYGHMI_IPMITOOL_STATUS,
  SIM_IPMITOOL_STATUS,
  SIM_UNKNOWN_USER,
  SIM_WRONG_PASSWORD,
} from "./testdata/captures.ts";

// Replays captures of ipmitool and freeipmi talking to two different BMC implementations, as a passive
// observer who knows the password: every RAKP auth code, the session keys (SIK, K1, K2), every packet's
// integrity code and every encrypted payload must come out byte for byte; our encoders must rebuild the
// console's packets exactly from the decoded values.

const suite3 = cipherSuite(3);

interface Replayed {
  rakp: RakpValues;
  sik: Uint8Array;
  k1: Uint8Array;
  k2: Uint8Array;
  /** Decrypted IPMI messages after session setup, in order, with who sent them. */
  messages: { from: CapturedDatagram["from"]; plain: Uint8Array }[];
}

function payloadOf(datagram: CapturedDatagram, type: number): Uint8Array {
  const packet = unwrap(decodeSessionPacket(datagram.bytes));
  assertStrictEquals(packet.version, "2.0");
  if (packet.version !== "2.0") throw new Error("unreachable");
  assertStrictEquals(packet.payloadType, type);
  return packet.payload;
}

function replay(capture: CapturedDatagram[], password: string): Replayed {
  const kuid = keyBytes("password", password);
  // 0, 1: Get Channel Authentication Capabilities (IPMI v1.5 header) and its answer.
  const capsRequest = unwrap(decodeSessionPacket(capture[0].bytes));
  assertStrictEquals(capsRequest.version, "1.5");
  const request = unwrap(decodeIpmiRequest(capsRequest.payload));
  assertEquals([request.netFn, request.command], [NetFn.app, Command.getChannelAuthCapabilities]);
  assertEquals(encodeV15Packet(encodeIpmiRequest(request)), capture[0].bytes);
  const capsResponse = unwrap(decodeIpmiResponse(unwrap(decodeSessionPacket(capture[1].bytes)).payload));
  assertStrictEquals(capsResponse.completionCode, 0);
  assert(unwrap(decodeChannelAuthCapabilities(capsResponse.data)).ipmi20, "the BMC says it speaks IPMI 2.0");

  // 2, 3: Open Session Request and Response.
  const openRequest = payloadOf(capture[2], PayloadType.openSessionRequest);
  const consoleSessionId = new DataView(openRequest.buffer, openRequest.byteOffset).getUint32(4, true);
  assertEquals(
    encodeOpenSessionRequest({
      tag: openRequest[0],
      maxPrivilege: openRequest[1],
      consoleSessionId,
      suite: suite3,
    }),
    openRequest,
  );
  const open = unwrap(decodeOpenSessionResponse(payloadOf(capture[3], PayloadType.openSessionResponse)));
  assertStrictEquals(open.status, 0);
  assertEquals([open.auth, open.integrity, open.confidentiality], [1, 1, 1]);
  assertStrictEquals(open.consoleSessionId, consoleSessionId);

  // 4-7: RAKP 1-4.
  const rakp1 = unwrap(decodeRakp1(payloadOf(capture[4], PayloadType.rakp1)));
  assertEquals(encodeRakp1(rakp1), payloadOf(capture[4], PayloadType.rakp1));
  const rakp2 = unwrap(decodeRakp2(payloadOf(capture[5], PayloadType.rakp2), 20));
  assertStrictEquals(rakp2.status, 0);
  const rakp: RakpValues = {
    consoleSessionId,
    managedSessionId: open.managedSessionId!,
    consoleRandom: rakp1.consoleRandom,
    managedRandom: rakp2.managedRandom!,
    managedGuid: rakp2.managedGuid!,
    role: rakp1.role,
    userName: rakp1.userName,
  };
  assertStrictEquals(toHexString(rakp2AuthCode(1, kuid, rakp)), toHexString(rakp2.authCode!));
  const rakp3 = unwrap(decodeRakp3(payloadOf(capture[6], PayloadType.rakp3)));
  assertStrictEquals(toHexString(rakp3AuthCode(1, kuid, rakp)), toHexString(rakp3.authCode));
  assertEquals(encodeRakp3(rakp3), payloadOf(capture[6], PayloadType.rakp3));
  const sik = sessionIntegrityKey(1, kuid, rakp);
  const rakp4 = unwrap(decodeRakp4(payloadOf(capture[7], PayloadType.rakp4), 12));
  assertStrictEquals(toHexString(rakp4CheckValue(1, sik, rakp)), toHexString(rakp4.checkValue!));
  const k1 = additionalKey(1, sik, 1);
  const k2 = additionalKey(1, sik, 2);

  // 8…: the session's protected messages.
  const messages: Replayed["messages"] = [];
  for (const datagram of capture.slice(8)) {
    const packet = unwrap(decodeSessionPacket(datagram.bytes, 12));
    if (packet.version !== "2.0") throw new Error("v1.5 packet inside an RMCP+ session");
    assert(packet.encrypted && packet.authenticated);
    assertStrictEquals(
      packet.sessionId,
      datagram.from === "console" ? rakp.managedSessionId : rakp.consoleSessionId,
    );
    assertStrictEquals(toHexString(integrityCode(1, k1, packet.covered!)), toHexString(packet.authCode!));
    const plain = unwrap(decryptAesCbc128(k2, packet.payload));
    // Re-encrypting with the captured IV gives the captured ciphertext: the pad is IPMI's, not PKCS#7.
    assertEquals(encryptAesCbc128(k2, plain, packet.payload.subarray(0, 16)), packet.payload);
    // And the whole packet rebuilds byte for byte from its parts.
    const rebuilt = encodeV20Packet(
      { ...packet, payload: packet.payload },
      (covered) => integrityCode(1, k1, covered),
    );
    assertEquals(rebuilt, datagram.bytes);
    messages.push({ from: datagram.from, plain });
  }
  return { rakp, sik, k1, k2, messages };
}

function commandsOf(replayed: Replayed): string[] {
  return replayed.messages.map(({ from, plain }) => {
    if (from === "console") {
      const request = unwrap(decodeIpmiRequest(plain));
      assertEquals(encodeIpmiRequest(request), plain);
      return `> ${request.netFn}/${request.command.toString(16)}`;
    }
    const response = unwrap(decodeIpmiResponse(plain));
    return `< ${response.netFn}/${response.command.toString(16)} cc=${response.completionCode}`;
  });
}

Deno.test("ipmi vectors: ipmitool lanplus -C 3 against pyghmi's BMC reproduces RAKP codes, SIK, K1, K2", () => {
  const replayed = replay(PYGHMI_IPMITOOL_STATUS, "password");
  assertStrictEquals(toHexString(replayed.rakp.userName), "61646d696e");
  assertEquals(replayed.sik.length, 20);
  const commands = commandsOf(replayed);
  // Set Session Privilege Level, then Get Chassis Status … and Close Session.
  assertStrictEquals(commands[0], "> 6/3b");
  assertStrictEquals(commands[1], "< 7/3b cc=0");
  assert(commands.includes("> 0/1"), commands.join(", "));
  const statusIndex = commands.indexOf("< 1/1 cc=0");
  const status = unwrap(decodeIpmiResponse(replayed.messages[statusIndex].plain));
  assertStrictEquals(unwrap(decodeChassisStatus(status.data)).powerOn, false);
  assertStrictEquals(commands.at(-2), "> 6/3c");
});

Deno.test("ipmi vectors: ipmitool lanplus -C 3 against openipmi's ipmi_sim", () => {
  const replayed = replay(SIM_IPMITOOL_STATUS, "s3cret");
  // ipmi_sim's GUID comes from its lan.conf.
  assertStrictEquals(toHexString(replayed.rakp.managedGuid), "a123456789abcdefa123456789abcdef");
  const commands = commandsOf(replayed);
  assert(commands.includes("< 1/1 cc=0"), commands.join(", "));
  assertStrictEquals(commands.at(-1), "< 7/3c cc=0");
});

Deno.test("ipmi vectors: freeipmi's ipmipower against pyghmi's BMC (operator role, name-only lookup)", () => {
  const replayed = replay(PYGHMI_IPMIPOWER_STAT, "password");
  assertStrictEquals(replayed.rakp.role, 0x13);
  assert(commandsOf(replayed).includes("> 0/1"));
});

Deno.test("ipmi vectors: a wrong password fails RAKP 2's check; the real one passes it", () => {
  const rakp1 = unwrap(decodeRakp1(payloadOf(SIM_WRONG_PASSWORD[4], PayloadType.rakp1)));
  const open = unwrap(
    decodeOpenSessionResponse(payloadOf(SIM_WRONG_PASSWORD[3], PayloadType.openSessionResponse)),
  );
  const rakp2 = unwrap(decodeRakp2(payloadOf(SIM_WRONG_PASSWORD[5], PayloadType.rakp2), 20));
  const values: RakpValues = {
    consoleSessionId: open.consoleSessionId,
    managedSessionId: open.managedSessionId!,
    consoleRandom: rakp1.consoleRandom,
    managedRandom: rakp2.managedRandom!,
    managedGuid: rakp2.managedGuid!,
    role: rakp1.role,
    userName: rakp1.userName,
  };
  const typed = rakp2AuthCode(1, keyBytes("password", "wrong"), values);
  const real = rakp2AuthCode(1, keyBytes("password", "s3cret"), values);
  assert(toHexString(typed) !== toHexString(rakp2.authCode!));
  assertStrictEquals(toHexString(real), toHexString(rakp2.authCode!));
});

Deno.test("ipmi vectors: an unknown user gets RAKP 2 status 0x0d, unauthorized name", () => {
  const rakp2 = unwrap(decodeRakp2(payloadOf(SIM_UNKNOWN_USER[5], PayloadType.rakp2), 20));
  assertStrictEquals(rakp2.status, 0x0d);
  assertStrictEquals(rmcpPlusStatusText(rakp2.status), "unauthorized name (0x0d)");
});
