import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type Lease as LeaseMessage,
  type NeconConfig as NeconConfigMessage,
  NeconConfigSchema,
  NeconService,
  type Reservation as ReservationMessage,
  ReservationSchema,
  SubnetSchema,
} from "../api/gen/ctpf/v1/necon_pb.ts";
import { parseField } from "../api/request_fields.ts";
import { formatIpv4, parseIpv4 } from "../net/ipv4addr.ts";
import { formatMac } from "../net/mac.ts";
import { snapshotThenChanges } from "../stream/snapshot_then_changes.ts";
import type { NeconConfigInput, ReservationInput, SubnetInput } from "./config.ts";
import type { Lease } from "./lease.ts";
import type { Necon } from "./necon.ts";
import { renamingViolations } from "./field_paths.ts";
import { BadPageRequest, leasePage } from "./lease_pages.ts";

// The proto messages are shaped like the JSON configuration, so proto JSON *is* NeconConfigInput.
function configToMessage(input: NeconConfigInput): NeconConfigMessage {
  return fromJson(NeconConfigSchema, input as JsonValue, { ignoreUnknownFields: false });
}

function configFromMessage(message: NeconConfigMessage | undefined): NeconConfigInput {
  return message ? toJson(NeconConfigSchema, message) as NeconConfigInput : {};
}

export function leaseToMessage(lease: Lease) {
  const clientId = lease.clientKey.startsWith("id:") ? lease.clientKey.slice(3) : "";
  return {
    ip: formatIpv4(lease.ip),
    subnetId: lease.subnetId,
    mac: formatMac(lease.mac),
    clientId,
    hostname: lease.hostname ?? "",
    state: lease.state,
    expiresAt: timestampFromMs(lease.expiresAt),
    updatedAt: timestampFromMs(lease.updatedAt),
  } satisfies Partial<LeaseMessage>;
}

/** A lease on the stream; `replay` marks the snapshot sent first, before live changes. */
const leaseUpdate = (lease: Lease, replay: boolean) => ({ lease: leaseToMessage(lease), replay });

const addressArgument = (text: string) => parseField("ip", text, parseIpv4);

export interface NeconApiOptions {
  /** The --dhcp-config file applied at start, which pages mention: it replaces the config at every start. */
  startupFile?: string;
}

export function registerNeconApi(router: ConnectRouter, necon: Necon, options: NeconApiOptions = {}): void {
  // An invalid configuration (ConfigInvalid) is answered field by field by the API's error layer.
  const apply = async (next: NeconConfigInput) => {
    await necon.apply(next);
    return configToMessage(necon.configInput);
  };
  const subnetsOf = (config: NeconConfigInput) => [...(config.subnets ?? [])];

  router.service(NeconService, {
    getConfig() {
      return { config: configToMessage(necon.configInput), startupFile: options.startupFile ?? "" };
    },
    async setConfig(request) {
      return { config: await apply(configFromMessage(request.config)) };
    },
    async setInterfaces(request) {
      return { config: await apply({ ...necon.configInput, interfaces: request.interfaces }) };
    },
    async putSubnet(request) {
      if (!request.subnet) throw new ConnectError("subnet is required", Code.InvalidArgument);
      const subnet = toJson(SubnetSchema, request.subnet) as unknown as SubnetInput;
      const config = necon.configInput;
      const subnets = subnetsOf(config);
      const index = subnets.findIndex((s) => (subnet.id && s.id === subnet.id) || s.cidr === subnet.cidr);
      const at = index >= 0 ? index : subnets.length;
      subnets[at] = subnet;
      return {
        config: await renamingViolations(`subnets[${at}]`, "subnet", () => apply({ ...config, subnets })),
      };
    },
    async deleteSubnet(request) {
      const config = necon.configInput;
      const subnets = subnetsOf(config);
      const index = necon.config.subnets.findIndex((s) => s.id === request.id);
      if (index < 0) throw new ConnectError(`no subnet ${request.id}`, Code.NotFound);
      subnets.splice(index, 1);
      await apply({ ...config, subnets });
      return {};
    },
    async putReservation(request) {
      if (!request.reservation) throw new ConnectError("reservation is required", Code.InvalidArgument);
      const reservation = toJson(ReservationSchema, request.reservation) as unknown as ReservationInput;
      const config = necon.configInput;
      const subnets = subnetsOf(config);
      const index = necon.config.subnets.findIndex((s) => s.id === request.subnetId);
      if (index < 0) throw new ConnectError(`no subnet ${request.subnetId}`, Code.NotFound);
      const replaced = [reservation.ip, request.replacesIp];
      const others = (subnets[index].reservations ?? []).filter((r) => !replaced.includes(r.ip));
      subnets[index] = { ...subnets[index], reservations: [...others, reservation] };
      const at = `subnets[${index}].reservations[${others.length}]`;
      await renamingViolations(at, "reservation", () => apply({ ...config, subnets }));
      return {};
    },
    async deleteReservation(request) {
      const config = necon.configInput;
      const subnets = subnetsOf(config);
      const index = necon.config.subnets.findIndex((s) => s.id === request.subnetId);
      if (index < 0) throw new ConnectError(`no subnet ${request.subnetId}`, Code.NotFound);
      const reservations = subnets[index].reservations ?? [];
      const kept = reservations.filter((r) => r.ip !== request.ip);
      if (kept.length === reservations.length) {
        throw new ConnectError(`no reservation for ${request.ip}`, Code.NotFound);
      }
      subnets[index] = { ...subnets[index], reservations: kept };
      await apply({ ...config, subnets });
      return {};
    },
    listLeases(request) {
      const filter = {
        subnetId: request.subnetId,
        includeInactive: request.includeInactive,
        match: request.match,
      };
      try {
        const page = leasePage(
          necon.leases.sortedAddresses(),
          (ip) => necon.leases.get(ip),
          filter,
          request.pageSize,
          request.pageToken,
          Date.now(),
        );
        return { ...page, leases: page.leases.map(leaseToMessage) };
      } catch (error) {
        if (error instanceof BadPageRequest) throw new ConnectError(error.message, Code.InvalidArgument);
        throw error;
      }
    },
    getLease(request) {
      const lease = necon.leases.get(addressArgument(request.ip));
      if (!lease) throw new ConnectError(`no lease for ${request.ip}`, Code.NotFound);
      return { lease: leaseToMessage(lease) };
    },
    releaseLease(request) {
      if (!necon.releaseLease(addressArgument(request.ip))) {
        throw new ConnectError(`no bound lease for ${request.ip}`, Code.NotFound);
      }
      return {};
    },
    async convertLeaseToReservation(request) {
      const lease = necon.leases.get(addressArgument(request.ip));
      if (!lease) throw new ConnectError(`no lease for ${request.ip}`, Code.NotFound);
      const reservation: ReservationInput = lease.clientKey.startsWith("id:")
        ? { clientId: lease.clientKey.slice(3), ip: formatIpv4(lease.ip) }
        : { mac: formatMac(lease.mac), ip: formatIpv4(lease.ip) };
      if (lease.hostname) reservation.hostname = lease.hostname;
      const config = necon.configInput;
      const subnets = subnetsOf(config);
      const index = necon.config.subnets.findIndex((s) => s.id === lease.subnetId);
      if (index < 0) {
        throw new ConnectError(`the lease's subnet ${lease.subnetId} is gone`, Code.FailedPrecondition);
      }
      const others = (subnets[index].reservations ?? []).filter((r) => r.ip !== reservation.ip);
      subnets[index] = { ...subnets[index], reservations: [...others, reservation] };
      await apply({ ...config, subnets });
      return {
        reservation: fromJson(ReservationSchema, reservation as unknown as JsonValue) as ReservationMessage,
      };
    },
    subscribeToLeases: (request, context) =>
      snapshotThenChanges({
        changes: necon.leaseEvents,
        signal: context.signal,
        snapshot: () =>
          request.changesOnly
            ? []
            : [...necon.leases.all()].sort((a, b) => a.ip - b.ip).map((lease) => leaseUpdate(lease, true)),
        toMessage: (lease) => leaseUpdate(lease, false),
      }),
    getStats() {
      return { messages: necon.stats.snapshot(), pools: necon.poolUsage() };
    },
  });
}
