import type { DescService } from "@bufbuild/protobuf";
import { type Timestamp, timestampMs } from "@bufbuild/protobuf/wkt";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BofiedService } from "../api/gen/ctpf/v1/bofied_pb.ts";
import { LiwascService } from "../api/gen/ctpf/v1/liwasc_pb.ts";
import { NeconService } from "../api/gen/ctpf/v1/necon_pb.ts";
import type { Logger } from "../log/logger.ts";
import type { Sighting, SightingFeed } from "./sightings.ts";
import { bootEventSighting, leaseSighting, scanSighting } from "./source_sightings.ts";

/** Where a service's API is and the file holding the token to call it with (read at each connection). */
export interface RemoteService {
  url: string;
  tokenFile: string;
}

const msOf = (time: Timestamp | undefined) => time ? timestampMs(time) : Date.now();

function clientOf<S extends DescService>(service: S, remote: RemoteService): Client<S> {
  const bearer: Interceptor = (next) => async (request) => {
    if (remote.tokenFile) {
      request.header.set("authorization", `Bearer ${(await Deno.readTextFile(remote.tokenFile)).trim()}`);
    }
    return next(request);
  };
  return createClient(service, createConnectTransport({ baseUrl: remote.url, interceptors: [bearer] }));
}

/**
 * Follows one of a service's "current state, then changes" streams for as long as `signal` lasts,
 * reconnecting with a backoff (0.5 s doubling to 10 s) when the service restarts or cannot be reached.
 */
function remoteFeed<Message>(
  source: string,
  log: Logger,
  open: (signal: AbortSignal) => AsyncIterable<Message>,
  toSighting: (message: Message) => Sighting | undefined,
): SightingFeed {
  return {
    source,
    async follow(signal, sight) {
      let backoffMs = 500;
      let failing = false;
      while (!signal.aborted) {
        try {
          for await (const message of open(signal)) {
            if (failing) log.info("following again", { source });
            failing = false;
            backoffMs = 500;
            const sighting = toSighting(message);
            if (sighting) sight(sighting);
          }
        } catch (error) {
          if (signal.aborted) return;
          if (!failing) log.warn("cannot follow", { source, error: (error as Error).message });
          failing = true;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, backoffMs);
          signal.addEventListener("abort", done, { once: true });
          function done() {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            resolve();
          }
        });
        backoffMs = Math.min(backoffMs * 2, 10_000);
      }
    },
  };
}

export function remoteNeconFeed(remote: RemoteService, log: Logger): SightingFeed {
  const necon = clientOf(NeconService, remote);
  return remoteFeed(
    "necon",
    log,
    (signal) => necon.subscribeToLeases({}, { signal }),
    ({ lease }) =>
      lease && leaseSighting({
        mac: lease.mac,
        ip: lease.ip,
        state: lease.state,
        hostname: lease.hostname,
        updatedAt: msOf(lease.updatedAt),
      }),
  );
}

export function remoteLiwascFeed(remote: RemoteService, log: Logger): SightingFeed {
  const liwasc = clientOf(LiwascService, remote);
  return remoteFeed(
    "liwasc",
    log,
    (signal) => liwasc.subscribeToNodes({}, { signal }),
    ({ node }) =>
      node && scanSighting({
        mac: node.mac,
        ips: node.ips,
        hostname: node.hostname,
        online: node.online,
        interface: node.interface,
        lastSeen: msOf(node.lastSeen),
      }),
  );
}

export function remoteBofiedFeed(remote: RemoteService, log: Logger): SightingFeed {
  const bofied = clientOf(BofiedService, remote);
  return remoteFeed(
    "bofied",
    log,
    (signal) => bofied.subscribeToEvents({ history: 500 }, { signal }),
    ({ event }) =>
      event && bootEventSighting({
        kind: event.kind,
        time: msOf(event.time),
        message: event.message,
        fields: event.fields,
      }),
  );
}
