// A DHCP load client for tests: many simulated clients (distinct chaddr) doing the four-way exchange
// over one socket in a client namespace, recording every ACK they saw. Built on CTPF's own codec and
// socket layer; perfdhcp is the benchmark's load tool, this one exists because the kill -9 test must know
// exactly which leases were acknowledged.
import {
  decodeDhcp,
  type DhcpMessage,
  encodeDhcp,
  messageType,
  serverId,
  setMessageType,
  setRequestedIp,
  setServerId,
} from "../../core/net/dhcp/mod.ts";
import { macToBytes } from "../../core/net/mac.ts";
import { UdpSocket, withNetns } from "../../core/sys/mod.ts";

const DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6;

export interface Acked {
  mac: number;
  ip: number;
}

function request(xid: number, mac: number, type: number): DhcpMessage {
  const chaddr = new Uint8Array(16);
  chaddr.set(macToBytes(mac));
  const message: DhcpMessage = {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid,
    secs: 0,
    flags: 0x8000,
    ciaddr: 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr: chaddr.subarray(0, 6),
    sname: "",
    file: "",
    options: new Map(),
  };
  setMessageType(message, type);
  return message;
}

export class LoadClient implements AsyncDisposable {
  readonly acked: Acked[] = [];
  readonly #socket: UdpSocket;
  readonly #pending = new Map<number, (reply: DhcpMessage) => void>();
  readonly #stop = new AbortController();
  readonly #receiving: Promise<void>;
  #xid = Math.floor(Math.random() * 0x7fff_0000);

  constructor(netns: string, device: string) {
    this.#socket = withNetns(netns, () => UdpSocket.open({ device, port: 68, broadcast: true }));
    this.#receiving = this.#receive();
  }

  /** Runs `clients` exchanges, `concurrency` at a time, until done or `signal` aborts. */
  async run(firstMac: number, clients: number, concurrency: number, signal: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (!signal.aborted && next < clients) await this.#exchange(firstMac + next++);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  async #exchange(mac: number): Promise<void> {
    const offer = await this.#ask(request(this.#xid++, mac, DISCOVER), OFFER);
    if (!offer) return;
    const asking = request(offer.xid, mac, REQUEST);
    setRequestedIp(asking, offer.yiaddr);
    const server = serverId(offer);
    if (server?.ok) setServerId(asking, server.value);
    const ack = await this.#ask(asking, ACK);
    if (ack) this.acked.push({ mac, ip: ack.yiaddr });
  }

  /** Sends and waits up to 2 s for the reply of the wanted type with the same xid. */
  #ask(message: DhcpMessage, wanted: number): Promise<DhcpMessage | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(message.xid);
        resolve(undefined);
      }, 2000);
      this.#pending.set(message.xid, (reply) => {
        const type = messageType(reply);
        if (!type?.ok || (type.value !== wanted && type.value !== NAK)) return;
        clearTimeout(timer);
        this.#pending.delete(message.xid);
        resolve(type.value === wanted ? reply : undefined);
      });
      try {
        this.#socket.sendTo(encodeDhcp(message), "255.255.255.255", 67);
      } catch {
        // The server namespace may be gone mid-test; the timeout settles it.
      }
    });
  }

  async #receive(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        const datagram = await this.#socket.receive({ signal: this.#stop.signal });
        const decoded = decodeDhcp(datagram.data);
        if (decoded.ok && decoded.value.op === 2) this.#pending.get(decoded.value.xid)?.(decoded.value);
      } catch {
        if (this.#stop.signal.aborted) return;
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#stop.abort();
    await this.#receiving;
    this.#socket.close();
  }
}
