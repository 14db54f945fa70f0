import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  LiwascService,
  ScanKind,
  ScanState,
  TcpScanMethod,
  WakeState,
} from "../api/gen/ctpf/v1/liwasc_pb.ts";
import { principalKey } from "../api/context.ts";
import { parseField } from "../api/request_fields.ts";
import { formatMac, parseMac } from "../net/mac.ts";
import { snapshotThenChanges } from "../stream/snapshot_then_changes.ts";
import type { Liwasc } from "./liwasc.ts";
import type { NodeRecord, PortRecord, ScanRecord, WakeRecord } from "./model.ts";
import { serviceOf, servicesSource } from "./services/lookup.ts";
import { vendorOf, vendorStats } from "./vendors/lookup.ts";

const scanKinds = { node: ScanKind.NODE, port: ScanKind.PORT } as const;
const scanStates = {
  running: ScanState.RUNNING,
  done: ScanState.DONE,
  cancelled: ScanState.CANCELLED,
  failed: ScanState.FAILED,
} as const;
const wakeStates = {
  sent: WakeState.SENT,
  waiting: WakeState.WAITING,
  awake: WakeState.AWAKE,
  "timed-out": WakeState.TIMED_OUT,
  cancelled: WakeState.CANCELLED,
  failed: WakeState.FAILED,
} as const;

function scanMessage(scan: ScanRecord) {
  return {
    id: scan.id,
    kind: scanKinds[scan.kind],
    state: scanStates[scan.state],
    started: timestampFromMs(scan.started),
    finished: scan.finished === undefined ? undefined : timestampFromMs(scan.finished),
    target: scan.target,
    ports: scan.ports,
    found: scan.found,
    done: scan.done,
    total: scan.total,
    error: scan.error ?? "",
    startedBy: scan.startedBy,
  };
}

function nodeMessage(node: NodeRecord, openPorts: PortRecord[]) {
  return {
    mac: formatMac(node.mac),
    ips: node.ips,
    vendor: node.vendor,
    hostname: node.hostname,
    firstSeen: timestampFromMs(node.firstSeen),
    lastSeen: timestampFromMs(node.lastSeen),
    online: node.online,
    interface: node.interface,
    conflictsWith: node.conflictsWith.map((mac) => formatMac(mac)),
    openPorts: openPorts.map((port) => `${port.port}/${port.protocol}`),
  };
}

function portMessage(port: PortRecord) {
  const registered = serviceOf(port.port, port.protocol);
  return {
    ip: port.ip,
    port: port.port,
    protocol: port.protocol,
    state: port.state,
    reason: port.reason,
    service: port.service ?? registered?.name ?? "",
    description: registered?.description ?? "",
    detail: port.detail ?? "",
    scanId: port.scanId,
    seen: timestampFromMs(port.seen),
  };
}

function wakeMessage(wake: WakeRecord) {
  return {
    id: wake.id,
    mac: formatMac(wake.mac),
    ip: wake.ip,
    interface: wake.interface,
    state: wakeStates[wake.state],
    packetsSent: wake.packetsSent,
    probes: wake.probes,
    started: timestampFromMs(wake.started),
    finished: wake.finished === undefined ? undefined : timestampFromMs(wake.finished),
    error: wake.error ?? "",
  };
}

const macArgument = (text: string) => parseField("mac", text, parseMac);

const callerOf = (context: HandlerContext) => context.values.get(principalKey)?.name ?? "anonymous";

/**
 * liwasc's API. liwasc's own refusals (LiwascInputError) and address syntax reach clients as status codes
 * through the API's error layer (core/api/domain_errors.ts).
 */
export function registerLiwascApi(router: ConnectRouter, liwasc: Liwasc): void {
  const nodeWithPorts = (node: NodeRecord) =>
    nodeMessage(node, node.ips.flatMap((ip) => liwasc.openPorts(ip)));
  // Running scans of one kind, then their progress.
  const scansOfKind = (kind: ScanRecord["kind"], signal: AbortSignal) =>
    snapshotThenChanges({
      changes: liwasc.scans,
      signal,
      snapshot: () =>
        liwasc.runningScans().filter((scan) => scan.kind === kind).map((scan) => ({
          scan: scanMessage(scan),
        })),
      filter: (scan) => scan.kind === kind,
      toMessage: (scan) => ({ scan: scanMessage(scan) }),
    });
  router.service(LiwascService, {
    getScannerMetadata() {
      const vendors = vendorStats().source;
      const services = servicesSource;
      return {
        interfaces: liwasc.scannerInterfaces(),
        vendorSource: `${vendors.package ?? vendors.kind} (${vendors.date ?? "undated"})`,
        serviceSource: services.package ?? services.file,
        flagScanInterfaces: liwasc.flagInterfaces,
      };
    },
    getNodeMetadata(request) {
      const vendor = vendorOf(formatMac(macArgument(request.mac)));
      return { vendor: vendor.name ?? "", prefix: vendor.prefix ?? "", kind: vendor.kind };
    },
    getPortMetadata(request) {
      if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) {
        throw new ConnectError("port: from 1 to 65535", Code.InvalidArgument);
      }
      if (request.protocol !== "tcp" && request.protocol !== "udp") {
        throw new ConnectError('protocol: "tcp" or "udp"', Code.InvalidArgument);
      }
      const service = serviceOf(request.port, request.protocol);
      return { service: service?.name ?? "", description: service?.description ?? "" };
    },
    startNodeScan(request, context) {
      return {
        scan: scanMessage(
          liwasc.startNodeScan({
            interface: request.interface,
            ips: request.ips,
            startedBy: callerOf(context),
          }),
        ),
      };
    },
    async startPortScan(request, context) {
      const input = {
        ip: request.ip,
        ips: request.ips,
        tcpPorts: request.tcpPorts,
        udpPorts: request.udpPorts,
        timeoutMs: request.timeoutMs,
        tcpMethod: request.tcpMethod === TcpScanMethod.SYN ? "syn" as const : "connect" as const,
        startedBy: callerOf(context),
      };
      if (!request.wait) return { scan: scanMessage(liwasc.startPortScan(input)) };
      const { scan, openPorts } = await liwasc.runPortScan(input);
      return { scan: scanMessage(scan), openPorts: openPorts.map(portMessage) };
    },
    cancelScan(request) {
      const record = liwasc.cancel(request.id);
      if (!("kind" in record)) throw new ConnectError("id: that is a wake, not a scan", Code.InvalidArgument);
      return { scan: scanMessage(record) };
    },
    listScans(request) {
      const kind = request.kind === ScanKind.NODE
        ? "node"
        : request.kind === ScanKind.PORT
        ? "port"
        : undefined;
      return { scans: liwasc.listScans(kind, Math.min(request.limit || 100, 1000)).map(scanMessage) };
    },
    subscribeToNodeScans: (_request, context) => scansOfKind("node", context.signal),
    subscribeToPortScans: (_request, context) => scansOfKind("port", context.signal),
    subscribeToNodes: (_request, context) =>
      snapshotThenChanges({
        changes: liwasc.nodes,
        signal: context.signal,
        snapshot: () => liwasc.listNodes().map((node) => ({ node: nodeWithPorts(node) })),
        toMessage: (node) => ({ node: nodeWithPorts(node) }),
      }),
    // The snapshot may leave closed ports out; changes never do, so a port that closes is seen closing.
    subscribeToPorts: (request, context) =>
      snapshotThenChanges({
        changes: liwasc.ports,
        signal: context.signal,
        snapshot: () =>
          liwasc.knownPorts(request.ip || undefined)
            .filter((port) => !request.openOnly || port.state === "open")
            .map((port) => ({ port: portMessage(port) })),
        filter: (port) => !request.ip || port.ip === request.ip,
        toMessage: (port) => ({ port: portMessage(port) }),
      }),
    listNodes() {
      return { nodes: liwasc.listNodes().map(nodeWithPorts) };
    },
    getNode(request) {
      const mac = macArgument(request.mac);
      const node = liwasc.node(mac);
      if (!node) throw new ConnectError(`no node ${formatMac(mac)}`, Code.NotFound);
      return {
        node: nodeWithPorts(node),
        ports: node.ips.flatMap((ip) => liwasc.knownPorts(ip)).map(portMessage),
        wakes: liwasc.listWakes(mac).map(wakeMessage),
      };
    },
    startWake(request) {
      const mac = macArgument(request.mac);
      return {
        wake: wakeMessage(
          liwasc.startWake({
            mac,
            interface: request.interface,
            ip: request.ip,
            password: request.password,
            timeoutSeconds: request.timeoutSeconds,
          }),
        ),
      };
    },
    subscribeToWakes: (_request, context) =>
      snapshotThenChanges({
        changes: liwasc.wakes,
        signal: context.signal,
        toMessage: (wake) => ({ wake: wakeMessage(wake) }),
      }),
    getSettings() {
      return { settings: liwasc.settings };
    },
    // A full replacement: a field left out is its zero value (no schedule, no interface); no settings
    // message at all changes nothing.
    setSettings(request) {
      const settings = request.settings ?? liwasc.settings;
      return {
        settings: liwasc.setSettings({
          scanIntervalMinutes: settings.scanIntervalMinutes,
          retentionDays: settings.retentionDays,
          arpRate: settings.arpRate,
          reverseDns: settings.reverseDns,
          scanInterfaces: settings.scanInterfaces,
        }),
      };
    },
  });
}
