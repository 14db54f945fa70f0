import type { Logger } from "../log/logger.ts";
import {
  type BootAnswerProvider,
  DHCPACK,
  DHCPDISCOVER,
  DHCPOFFER,
  DHCPREQUEST,
  isPxeClient,
  parseDhcpRequest,
  proxyDhcpReply,
} from "../net/dhcp/mod.ts";
import { type Ipv4Address, parseIpv4 } from "../net/ipv4addr.ts";
import { formatMac } from "../net/mac.ts";
import { ipv4Addresses, receiveUntil, UdpSocket } from "../sys/mod.ts";
import type { BofiedMetrics } from "./metrics.ts";

export interface ProxyDhcpOptions {
  interfaceName: string;
  bootAnswers: BootAnswerProvider;
  log: Logger;
  onAnswer?: (mac: string, file: string) => void;
  /** Where the offers and acks sent are counted. */
  metrics?: BofiedMetrics;
}

/**
 * proxyDHCP (PXE spec 2.1): beside someone else's DHCP server, answer only PXE clients, only with boot
 * information, never with an address. DISCOVERs on port 67 get a broadcast OFFER without yiaddr; the
 * client then asks on port 4011 and gets the same answer as an ACK. Bound to one named interface.
 *
 * The port 67 offer is a BINL offer (option 60, no option 43): EDK2's PxeBcCacheDhcp4Offer keeps a proxy
 * offer with PXE discovery options only when it already holds one, so the first is dropped, while a
 * BINL offer is kept and asked about once on port 4011 (dnsmasq's proxy mode answers UEFI clients the
 * same way). The 4011 ACK names the file and says "boot it" (option 43 discovery control 8, the boot
 * item of a discovery request echoed), so no menu, prompt or further discovery follows. The bytes of
 * both answers are built in core/net/dhcp/proxy_reply.ts.
 */
export class ProxyDhcp {
  readonly #stop = new AbortController();
  readonly #sockets: UdpSocket[] = [];
  readonly #loops: Promise<void>[] = [];
  #address: Ipv4Address = 0;

  constructor(private readonly options: ProxyDhcpOptions) {}

  start(): void {
    const [address] = ipv4Addresses(this.options.interfaceName);
    if (!address) throw new Error(`proxyDHCP: ${this.options.interfaceName} has no IPv4 address`);
    this.#address = parseIpv4(address.address);
    for (const port of [67, 4011]) {
      const socket = UdpSocket.open({
        device: this.options.interfaceName,
        port,
        broadcast: true,
        reuseAddress: true,
      });
      this.#sockets.push(socket);
      this.#loops.push(this.#serve(socket, port));
    }
    this.options.log.info("proxyDHCP serving", {
      interface: this.options.interfaceName,
      address: address.address,
    });
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    for (const socket of this.#sockets) socket.close();
    await Promise.all(this.#loops);
  }

  async #serve(socket: UdpSocket, port: number): Promise<void> {
    const onError = (error: Error) =>
      this.options.log.warn("proxyDHCP receive failed", { error: error.message });
    for await (const datagram of receiveUntil(socket, this.#stop.signal, onError)) {
      const parsed = parseDhcpRequest(datagram.data);
      if (!parsed.ok) continue;
      const { request, message } = parsed.value;
      if (!isPxeClient(request)) continue;
      const wanted = port === 67 ? DHCPDISCOVER : DHCPREQUEST;
      if (request.type !== wanted) continue;
      let answer;
      try {
        answer = await this.options.bootAnswers(request, request.ciaddr, this.#address);
      } catch (error) {
        this.options.log.warn("proxyDHCP: boot rules failed", { error: String(error) });
        continue;
      }
      if (!answer?.bootFile) continue;
      const reply = proxyDhcpReply(message, {
        type: port === 67 ? DHCPOFFER : DHCPACK,
        serverAddress: this.#address,
        nextServer: answer.nextServer ?? this.#address,
        bootFile: answer.bootFile,
      });
      try {
        if (port === 67) socket.sendTo(reply, "255.255.255.255", 68);
        else socket.sendTo(reply, datagram.address, datagram.port);
      } catch (error) {
        this.options.log.warn("proxyDHCP send failed", { error: (error as Error).message });
        continue;
      }
      this.options.metrics?.proxyDhcpReply(port === 67 ? "offer" : "ack");
      this.options.onAnswer?.(formatMac(request.mac), answer.bootFile);
      this.options.log.info("proxyDHCP answer", { port, mac: formatMac(request.mac), file: answer.bootFile });
    }
  }
}
