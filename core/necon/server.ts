import { cidrContains, formatIpv4, type Ipv4Address } from "../net/ipv4addr.ts";
import { type Allocator, type Client, reservationFor } from "./allocator.ts";
import type { NeconConfig, Subnet } from "./config.ts";
import { clientKeyOf, type Lease } from "./lease.ts";
import type { LeaseTable } from "./lease_table.ts";
import {
  DHCPACK,
  DHCPDECLINE,
  DHCPDISCOVER,
  DHCPINFORM,
  DHCPNAK,
  DHCPOFFER,
  DHCPRELEASE,
  DHCPREQUEST,
} from "../net/dhcp/codes.ts";
import type { DhcpRequest } from "../net/dhcp/request.ts";
import type { Arrival } from "./request.ts";

/** What to send back, decided from one request; building the bytes is reply.ts's job. */
export interface ReplyPlan {
  type: typeof DHCPOFFER | typeof DHCPACK | typeof DHCPNAK;
  yiaddr: Ipv4Address;
  subnet?: Subnet;
  /** Lease times to announce (OFFER and ACK of an address; INFORM answers carry none). */
  leaseSeconds?: number;
  hostname?: string;
  /** Option 56 text for a NAK. */
  message?: string;
}

/** The outcome of a request, for logs and stats; `reply` is absent when nothing is sent. */
export interface Decision {
  outcome: string;
  reason?: string;
  reply?: ReplyPlan;
  subnet?: Subnet;
}

/**
 * How necon answers each message type (RFC 2131 §4.3). Pure decisions over the lease table and the
 * allocator: no sockets, no clock of its own (`now` comes in), so every path is unit-testable.
 */
export class DhcpServerLogic {
  constructor(
    private config: NeconConfig,
    private readonly leases: LeaseTable,
    private readonly allocator: Allocator,
  ) {}

  setConfig(config: NeconConfig): void {
    this.config = config;
  }

  handle(request: DhcpRequest, arrival: Arrival, now: number): Decision {
    const client: Client = {
      key: clientKeyOf(request.clientIdHex, request.mac),
      mac: request.mac,
      clientIdHex: request.clientIdHex,
      hostname: cleanHostname(request.hostname),
    };
    switch (request.type) {
      case DHCPDISCOVER:
        return this.#discover(request, arrival, client, now);
      case DHCPREQUEST:
        return this.#request(request, arrival, client, now);
      case DHCPDECLINE:
        return this.#decline(request, arrival, client, now);
      case DHCPRELEASE:
        return this.#release(request, arrival, client, now);
      case DHCPINFORM:
        return this.#inform(request, arrival);
      default:
        return { outcome: "drop", reason: `message type ${request.type} is not for a server` };
    }
  }

  /** The subnet a request belongs to: the relay's (giaddr) or the arrival interface's. */
  subnetFor(request: DhcpRequest, arrival: Arrival): Subnet | undefined {
    if (request.giaddr !== 0) return this.config.subnets.find((s) => cidrContains(s.cidr, request.giaddr));
    return this.config.subnets.find((s) =>
      s.interface === arrival.interfaceName ||
      (s.interface === undefined && cidrContains(s.cidr, arrival.serverAddress))
    );
  }

  #discover(request: DhcpRequest, arrival: Arrival, client: Client, now: number): Decision {
    const subnet = this.subnetFor(request, arrival);
    if (!subnet) return { outcome: "drop", reason: "no subnet for this link or relay" };
    const ip = this.allocator.choose(subnet, client, request.requestedIp, now);
    if (ip === undefined) {
      const reserved = reservationFor(subnet, client);
      return {
        outcome: "drop",
        subnet,
        reason: reserved
          ? `reserved address ${formatIpv4(reserved.ip)} is held by another client`
          : `no free address in subnet ${subnet.id} (pools exhausted)`,
      };
    }
    this.allocator.hold(ip, subnet, client, now);
    return {
      outcome: "offer",
      subnet,
      reply: {
        type: DHCPOFFER,
        yiaddr: ip,
        subnet,
        leaseSeconds: subnet.leaseSeconds,
        hostname: this.#hostname(subnet, client),
      },
    };
  }

  #request(request: DhcpRequest, arrival: Arrival, client: Client, now: number): Decision {
    const subnet = this.subnetFor(request, arrival);
    if (request.serverId !== undefined) {
      // SELECTING: the client answers one server's offer; the others withdraw theirs.
      if (request.serverId !== arrival.serverAddress) {
        if (subnet && request.requestedIp !== undefined) this.allocator.release(request.requestedIp, client);
        return { outcome: "drop", reason: `client chose server ${formatIpv4(request.serverId)}` };
      }
      if (request.requestedIp === undefined) {
        return this.#nak(subnet, "SELECTING without a requested address");
      }
      return this.#bind(subnet, request.requestedIp, client, now, "selecting");
    }
    if (request.ciaddr === 0) {
      // INIT-REBOOT: the client wants its remembered address confirmed.
      if (request.requestedIp === undefined) {
        return { outcome: "drop", reason: "INIT-REBOOT without option 50" };
      }
      return this.#bind(subnet, request.requestedIp, client, now, "init-reboot");
    }
    // RENEWING (unicast) or REBINDING (broadcast): extend the address the client uses.
    const state = request.flags & 0x8000 || request.giaddr !== 0 ? "rebinding" : "renewing";
    return this.#bind(subnet, request.ciaddr, client, now, state);
  }

  #bind(subnet: Subnet | undefined, ip: Ipv4Address, client: Client, now: number, state: string): Decision {
    if (!subnet) return this.#nak(undefined, `${state}: no subnet for this link or relay`);
    if (!cidrContains(subnet.cidr, ip)) {
      return this.#nak(subnet, `${state}: ${formatIpv4(ip)} is not on subnet ${subnet.id}`);
    }
    if (!this.allocator.availableTo(subnet, ip, client, now)) {
      const reserved = reservationFor(subnet, client);
      return this.#nak(
        subnet,
        reserved && reserved.ip !== ip
          ? `${state}: ${formatIpv4(ip)} requested, but this client's reservation is ${
            formatIpv4(reserved.ip)
          }`
          : `${state}: ${formatIpv4(ip)} is not available to this client`,
      );
    }
    const hostname = this.#hostname(subnet, client);
    const lease: Lease = {
      ip,
      subnetId: subnet.id,
      clientKey: client.key,
      mac: client.mac,
      // The operator's name wins; else what the client calls itself (for the lease table).
      hostname: hostname ?? client.hostname,
      state: "bound",
      expiresAt: now + subnet.leaseSeconds * 1000,
      updatedAt: now,
    };
    // A client moving to another address gives up the one it held in this subnet.
    const previous = this.leases.latestOf(client.key, subnet.id);
    if (previous && previous.ip !== ip && previous.state === "bound") {
      this.leases.put({ ...previous, state: "released", expiresAt: now, updatedAt: now });
    }
    this.leases.put(lease);
    this.allocator.release(ip);
    return {
      outcome: "ack",
      reason: state,
      subnet,
      reply: { type: DHCPACK, yiaddr: ip, subnet, leaseSeconds: subnet.leaseSeconds, hostname },
    };
  }

  #nak(subnet: Subnet | undefined, reason: string): Decision {
    return { outcome: "nak", reason, subnet, reply: { type: DHCPNAK, yiaddr: 0, subnet, message: reason } };
  }

  #decline(request: DhcpRequest, arrival: Arrival, client: Client, now: number): Decision {
    const ip = request.requestedIp;
    const subnet = this.subnetFor(request, arrival);
    if (ip === undefined || !subnet) return { outcome: "drop", reason: "DECLINE without address or subnet" };
    const lease = this.leases.get(ip);
    if (!lease || lease.clientKey !== client.key) {
      return { outcome: "drop", reason: `DECLINE of ${formatIpv4(ip)}, which this client does not hold` };
    }
    this.leases.put({
      ...lease,
      state: "declined",
      expiresAt: now + this.config.declineQuarantineSeconds * 1000,
      updatedAt: now,
    });
    return { outcome: "decline", subnet, reason: `${formatIpv4(ip)} is in use by another host; quarantined` };
  }

  #release(request: DhcpRequest, arrival: Arrival, client: Client, now: number): Decision {
    const lease = this.leases.get(request.ciaddr);
    if (!lease || lease.clientKey !== client.key || lease.state !== "bound") {
      return {
        outcome: "drop",
        reason: `RELEASE of ${formatIpv4(request.ciaddr)}, not bound to this client`,
      };
    }
    this.leases.put({ ...lease, state: "released", expiresAt: now, updatedAt: now });
    return { outcome: "release", subnet: this.subnetFor(request, arrival) };
  }

  #inform(request: DhcpRequest, arrival: Arrival): Decision {
    const subnet = request.giaddr !== 0
      ? this.subnetFor(request, arrival)
      : this.config.subnets.find((s) => cidrContains(s.cidr, request.ciaddr));
    if (!subnet || request.ciaddr === 0) return { outcome: "drop", reason: "INFORM from an unknown subnet" };
    return { outcome: "inform", subnet, reply: { type: DHCPACK, yiaddr: 0, subnet } };
  }

  #hostname(subnet: Subnet, client: Client): string | undefined {
    return reservationFor(subnet, client)?.hostname;
  }
}

/** A client-sent host name kept only if it is a plausible DNS label (it is shown and logged). */
function cleanHostname(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const trimmed = name.trim().slice(0, 63);
  return /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(trimmed) ? trimmed : undefined;
}
