import type { Logger } from "../log/logger.ts";
import { decodeIcmp, encodeIcmp } from "../net/icmp.ts";
import { decodeIpv4 } from "../net/ipv4.ts";
import { formatIpv4, type Ipv4Address } from "../net/ipv4addr.ts";
import { IcmpSocket } from "../sys/mod.ts";

const PROTOCOL_ICMP = 1;

/**
 * Ping-before-offer: before an address is offered, one ICMP echo asks whether some host already uses it
 * (a static address the operator forgot, a device that kept an old lease). An answer means "in use".
 * One raw socket per interface, opened on first use.
 */
export class AddressProbe {
  readonly #sockets = new Map<string, IcmpSocket>();
  #sequence = 0;
  readonly #identifier = Math.floor(Math.random() * 0xffff);

  constructor(private readonly log: Logger, private readonly timeoutMs = 500) {}

  async inUse(address: Ipv4Address, interfaceName: string): Promise<boolean> {
    let socket = this.#sockets.get(interfaceName);
    if (!socket) {
      socket = IcmpSocket.open({ device: interfaceName });
      this.#sockets.set(interfaceName, socket);
    }
    while (socket.tryReceive()) { /* drop late answers to earlier probes */ }
    const sequence = this.#sequence = (this.#sequence + 1) & 0xffff;
    const target = formatIpv4(address);
    try {
      socket.sendTo(
        encodeIcmp({
          kind: "echo-request",
          identifier: this.#identifier,
          sequence,
          data: new Uint8Array(16),
        }),
        target,
      );
    } catch (error) {
      this.log.warn("address probe not sent", { ip: target, error: (error as Error).message });
      return false;
    }
    const deadline = AbortSignal.timeout(this.timeoutMs);
    for (;;) {
      let datagram;
      try {
        datagram = await socket.receive({ signal: deadline });
      } catch {
        return false;
      }
      const ip = decodeIpv4(datagram.data);
      if (!ip.ok || ip.value.protocol !== PROTOCOL_ICMP || ip.value.source !== address) continue;
      const icmp = decodeIcmp(ip.value.payload);
      if (
        icmp.ok && icmp.value.kind === "echo-reply" && icmp.value.identifier === this.#identifier &&
        icmp.value.sequence === sequence
      ) return true;
    }
  }

  close(): void {
    for (const socket of this.#sockets.values()) socket.close();
    this.#sockets.clear();
  }
}
