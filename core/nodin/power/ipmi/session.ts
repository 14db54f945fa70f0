import {
  additionalKey,
  type CipherSuite,
  closeSessionData,
  Command,
  completionCodeText,
  ConfidentialityAlgorithm,
  decodeChannelAuthCapabilities,
  decodeIpmiResponse,
  decodeOpenSessionResponse,
  decodeRakp2,
  decodeRakp4,
  decodeSessionPacket,
  decryptAesCbc128,
  encodeIpmiRequest,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
  encodeV15Packet,
  encodeV20Packet,
  encryptAesCbc128,
  getChannelAuthCapabilitiesData,
  IntegrityAlgorithm,
  integrityCode,
  integrityCodeLength,
  type IpmiResponse,
  NAME_ONLY_LOOKUP,
  NetFn,
  PayloadType,
  rakp2AuthCode,
  rakp2AuthCodeLength,
  rakp3AuthCode,
  rakp4CheckValue,
  rakp4CheckValueLength,
  type RakpValues,
  rmcpPlusStatusText,
  sameBytes,
  sessionIntegrityKey,
} from "../../../net/ipmi/mod.ts";
import { PowerDriverError } from "../driver.ts";
import { BmcTimeout, type BmcTransport } from "./transport.ts";

// An RMCP+ ("lanplus") session (IPMI v2.0 section 13): Get Channel Authentication Capabilities, Open
// Session, RAKP 1-4 (mutual proof of the password, session keys), Set Session Privilege Level, then
// commands, each encrypted with K2 and signed with K1, with session sequence numbers both ways.

export interface SessionCredentials {
  userName: string;
  /** Kuid: the user's password, at most 20 bytes. */
  password: Uint8Array;
  /** Kg, the BMC key; Kuid stands in when absent (the usual "one-key" login). */
  kg?: Uint8Array;
}

export interface SessionOptions {
  suite: CipherSuite;
  /** 2 user, 3 operator, 4 administrator. */
  privilege: number;
}

/** Maps an RMCP+ status code in a session-setup answer to why the driver could not log in. */
function setupRefusal(where: string, step: string, status: number, userName: string): PowerDriverError {
  const text = rmcpPlusStatusText(status);
  if (status === 0x0d) {
    return new PowerDriverError(
      "auth",
      `BMC ${where} answered ${step} with ${text}: it has no user "${userName}"`,
    );
  }
  if (status === 0x09 || status === 0x0a || status === 0x0e || status === 0x0f) {
    return new PowerDriverError("auth", `BMC ${where} answered ${step} with ${text}`);
  }
  if ([0x04, 0x05, 0x06, 0x07, 0x10, 0x11].includes(status)) {
    return new PowerDriverError("unsupported", `BMC ${where} answered ${step} with ${text}`);
  }
  return new PowerDriverError("refused", `BMC ${where} answered ${step} with ${text}`);
}

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

function nonZeroSessionId(): number {
  for (;;) {
    const id = new DataView(randomBytes(4).buffer).getUint32(0, true);
    if (id !== 0) return id;
  }
}

export class IpmiSession {
  readonly #transport: BmcTransport;
  readonly #suite: CipherSuite;
  readonly #consoleSessionId: number;
  readonly #managedSessionId: number;
  readonly #k1: Uint8Array;
  readonly #k2: Uint8Array;
  #outboundSequence = 0;
  #highestInbound = 0;
  #requestSequence = 0;
  #closed = false;

  private constructor(
    transport: BmcTransport,
    suite: CipherSuite,
    ids: { console: number; managed: number },
    keys: { k1: Uint8Array; k2: Uint8Array },
  ) {
    this.#transport = transport;
    this.#suite = suite;
    this.#consoleSessionId = ids.console;
    this.#managedSessionId = ids.managed;
    this.#k1 = keys.k1;
    this.#k2 = keys.k2;
  }

  /** Logs in; throws PowerDriverError ("auth" for wrong credentials, "unreachable" for silence). */
  static async open(
    transport: BmcTransport,
    credentials: SessionCredentials,
    options: SessionOptions,
    signal?: AbortSignal,
  ): Promise<IpmiSession> {
    const where = transport.where;
    const { suite } = options;
    const userName = new TextEncoder().encode(credentials.userName);
    if (userName.length > 16) {
      throw new PowerDriverError("auth", `IPMI user name "${credentials.userName}" is longer than 16 bytes`);
    }

    const capabilities = await transport.exchange(
      "Get Channel Authentication Capabilities",
      () =>
        encodeV15Packet(encodeIpmiRequest({
          netFn: NetFn.app,
          command: Command.getChannelAuthCapabilities,
          sequence: 0,
          data: getChannelAuthCapabilitiesData(options.privilege),
        })),
      (datagram) => {
        const packet = decodeSessionPacket(datagram);
        if (!packet.ok || packet.value.version !== "1.5") return undefined;
        const response = decodeIpmiResponse(packet.value.payload);
        if (!response.ok || response.value.command !== Command.getChannelAuthCapabilities) return undefined;
        return response.value;
      },
      signal,
    );
    if (capabilities.completionCode !== 0) {
      throw new PowerDriverError(
        "refused",
        `BMC ${where} refused Get Channel Authentication Capabilities: ${
          completionCodeText(capabilities.completionCode)
        }`,
      );
    }
    const caps = decodeChannelAuthCapabilities(capabilities.data);
    if (!caps.ok) throw new PowerDriverError("protocol", `BMC ${where}: ${caps.error.message}`);
    if (!caps.value.ipmi20) {
      throw new PowerDriverError(
        "unsupported",
        `BMC ${where} does not offer IPMI v2.0 (RMCP+) on this channel`,
      );
    }

    const consoleSessionId = nonZeroSessionId();
    const open = await transport.exchange(
      "RMCP+ Open Session Request",
      () =>
        encodeV20Packet({
          payloadType: PayloadType.openSessionRequest,
          encrypted: false,
          authenticated: false,
          sessionId: 0,
          sequence: 0,
          payload: encodeOpenSessionRequest({
            tag: 1,
            maxPrivilege: options.privilege,
            consoleSessionId,
            suite,
          }),
        }),
      (datagram) => {
        const payload = setupPayload(datagram, PayloadType.openSessionResponse);
        const response = payload && decodeOpenSessionResponse(payload);
        if (!response?.ok || response.value.tag !== 1) return undefined;
        if (response.value.status === 0 && response.value.consoleSessionId !== consoleSessionId) {
          return undefined;
        }
        return response.value;
      },
      signal,
    );
    if (open.status !== 0) throw setupRefusal(where, "Open Session", open.status, credentials.userName);
    if (
      open.auth !== suite.auth || open.integrity !== suite.integrity ||
      open.confidentiality !== suite.confidentiality
    ) {
      throw new PowerDriverError(
        "unsupported",
        `BMC ${where} offered algorithms ${open.auth}/${open.integrity}/${open.confidentiality}, not cipher suite ${suite.id}`,
      );
    }
    const managedSessionId = open.managedSessionId!;

    const role = NAME_ONLY_LOOKUP | options.privilege;
    const consoleRandom = randomBytes(16);
    let rakp2;
    try {
      rakp2 = await transport.exchange(
        "RAKP 1",
        () =>
          encodeV20Packet({
            payloadType: PayloadType.rakp1,
            encrypted: false,
            authenticated: false,
            sessionId: 0,
            sequence: 0,
            payload: encodeRakp1({ tag: 2, managedSessionId, consoleRandom, role, userName }),
          }),
        (datagram) => {
          const payload = setupPayload(datagram, PayloadType.rakp2);
          const message = payload && decodeRakp2(payload, rakp2AuthCodeLength(suite.auth));
          if (
            !message?.ok || message.value.tag !== 2 || message.value.consoleSessionId !== consoleSessionId
          ) {
            return undefined;
          }
          return message.value;
        },
        signal,
      );
    } catch (error) {
      // The BMC answered Open Session a moment ago: silence now is how some BMCs (pyghmi's among them)
      // turn away a user name they do not know.
      if (error instanceof BmcTimeout) {
        throw new PowerDriverError(
          "auth",
          `BMC ${where} answered Open Session but not RAKP 1 for user "${credentials.userName}": ` +
            `unauthorized name (the BMC drops RAKP 1 for unknown users)`,
        );
      }
      throw error;
    }
    if (rakp2.status !== 0) throw setupRefusal(where, "RAKP 1", rakp2.status, credentials.userName);

    const values: RakpValues = {
      consoleSessionId,
      managedSessionId,
      consoleRandom,
      managedRandom: rakp2.managedRandom!,
      managedGuid: rakp2.managedGuid!,
      role,
      userName,
    };
    if (!sameBytes(rakp2AuthCode(suite.auth, credentials.password, values), rakp2.authCode!)) {
      throw new PowerDriverError(
        "auth",
        `RAKP 2 integrity check failed at BMC ${where}: its key exchange auth code does not match the password ` +
          `given for user "${credentials.userName}" (wrong password)`,
      );
    }
    const sik = sessionIntegrityKey(suite.auth, credentials.kg ?? credentials.password, values);
    const rakp4 = await transport.exchange(
      "RAKP 3",
      () =>
        encodeV20Packet({
          payloadType: PayloadType.rakp3,
          encrypted: false,
          authenticated: false,
          sessionId: 0,
          sequence: 0,
          payload: encodeRakp3({
            tag: 3,
            status: 0,
            managedSessionId,
            authCode: rakp3AuthCode(suite.auth, credentials.password, values),
          }),
        }),
      (datagram) => {
        const payload = setupPayload(datagram, PayloadType.rakp4);
        const message = payload && decodeRakp4(payload, rakp4CheckValueLength(suite.auth));
        if (!message?.ok || message.value.tag !== 3 || message.value.consoleSessionId !== consoleSessionId) {
          return undefined;
        }
        return message.value;
      },
      signal,
    );
    if (rakp4.status !== 0) throw setupRefusal(where, "RAKP 3", rakp4.status, credentials.userName);
    if (!sameBytes(rakp4CheckValue(suite.auth, sik, values), rakp4.checkValue!)) {
      throw new PowerDriverError(
        "auth",
        `RAKP 4 integrity check value from BMC ${where} does not match: wrong BMC key (Kg)`,
      );
    }

    const session = new IpmiSession(
      transport,
      suite,
      { console: consoleSessionId, managed: managedSessionId },
      { k1: additionalKey(suite.auth, sik, 1), k2: additionalKey(suite.auth, sik, 2) },
    );
    const privilege = await session.command(
      NetFn.app,
      Command.setSessionPrivilegeLevel,
      Uint8Array.of(options.privilege),
      signal,
    );
    if (privilege.completionCode !== 0) {
      await session.close();
      throw new PowerDriverError(
        "auth",
        `BMC ${where} refused privilege level ${options.privilege} for user "${credentials.userName}": ` +
          completionCodeText(privilege.completionCode),
      );
    }
    return session;
  }

  get where(): string {
    return this.#transport.where;
  }

  /** Sends one command in the session and resolves with its response (any completion code). */
  command(
    netFn: number,
    command: number,
    data: Uint8Array,
    signal?: AbortSignal,
    tries?: number,
  ): Promise<IpmiResponse> {
    if (this.#closed) throw new PowerDriverError("protocol", "the IPMI session is closed");
    this.#requestSequence = (this.#requestSequence % 0x3f) + 1;
    const sequence = this.#requestSequence;
    const message = encodeIpmiRequest({ netFn, command, sequence, data });
    const name = `command ${netFn.toString(16)}/${command.toString(16)}`;
    return this.#transport.exchange(
      name,
      () => this.#seal(message),
      (datagram) => {
        const response = this.#open(datagram);
        if (!response) return undefined;
        if (response.sequence !== sequence || response.command !== command || response.netFn !== netFn + 1) {
          return undefined;
        }
        return response;
      },
      signal,
      tries,
    );
  }

  /** Closes the session on the BMC (one try, short wait): a BMC has only a few session slots. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.command(
        NetFn.app,
        Command.closeSession,
        closeSessionData(this.#managedSessionId),
        undefined,
        1,
      )
        .catch(() => undefined);
    } finally {
      this.#closed = true;
    }
  }

  #seal(message: Uint8Array): Uint8Array {
    this.#outboundSequence = (this.#outboundSequence + 1) >>> 0 || 1;
    const encrypted = this.#suite.confidentiality === ConfidentialityAlgorithm.aesCbc128;
    const authenticated = this.#suite.integrity !== IntegrityAlgorithm.none;
    return encodeV20Packet(
      {
        payloadType: PayloadType.ipmi,
        encrypted,
        authenticated,
        sessionId: this.#managedSessionId,
        sequence: this.#outboundSequence,
        payload: encrypted ? encryptAesCbc128(this.#k2, message) : message,
      },
      authenticated ? (covered) => integrityCode(this.#suite.integrity, this.#k1, covered) : undefined,
    );
  }

  /** A response from this session, or undefined for anything to drop (forged, replayed, malformed). */
  #open(datagram: Uint8Array): IpmiResponse | undefined {
    const codeLength = integrityCodeLength(this.#suite.integrity);
    const decoded = decodeSessionPacket(datagram, codeLength);
    if (!decoded.ok) return undefined;
    const packet = decoded.value;
    if (packet.version !== "2.0" || packet.payloadType !== PayloadType.ipmi) return undefined;
    if (packet.sessionId !== this.#consoleSessionId) return undefined;
    if (codeLength > 0) {
      if (!packet.authenticated || !packet.covered || !packet.authCode) return undefined;
      if (!sameBytes(integrityCode(this.#suite.integrity, this.#k1, packet.covered), packet.authCode)) {
        return undefined;
      }
    }
    // Sequence numbers only grow: an old one is a replay (or a late duplicate) and is dropped.
    if (packet.sequence <= this.#highestInbound) return undefined;
    let plain: Uint8Array = packet.payload;
    if (this.#suite.confidentiality === ConfidentialityAlgorithm.aesCbc128) {
      if (!packet.encrypted) return undefined;
      const opened = decryptAesCbc128(this.#k2, packet.payload);
      if (!opened.ok) return undefined;
      plain = opened.value;
    }
    const response = decodeIpmiResponse(plain);
    if (!response.ok) return undefined;
    this.#highestInbound = packet.sequence;
    return response.value;
  }
}

/** The payload of a session-setup answer of `type`, or undefined. */
function setupPayload(datagram: Uint8Array, type: number): Uint8Array | undefined {
  const packet = decodeSessionPacket(datagram);
  if (!packet.ok || packet.value.version !== "2.0" || packet.value.payloadType !== type) return undefined;
  return packet.value.payload;
}
