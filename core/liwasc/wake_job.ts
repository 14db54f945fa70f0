import type { MacAddress } from "../net/mac.ts";
import { parseSecureOnPassword } from "../net/wol.ts";
import { parseAddressInput } from "./address_input.ts";
import { LiwascInputError } from "./input_error.ts";
import type { JobKind, PlannedJob } from "./jobs/job.ts";
import type { LiwascMetrics } from "./metrics.ts";
import type { WakeRecord } from "./model.ts";
import { interfaceReaches } from "./targets.ts";
import { wake } from "./wake.ts";

export interface WakeJobOptions {
  mac: MacAddress;
  /** The interfaces the magic packet leaves on (already checked). */
  interfaces: string[];
  /** The address to follow until the node answers; none: send and be done. */
  followIp: string;
  /** SecureOn password, as the request spells it. */
  password?: string;
  timeoutSeconds?: number;
  metrics?: LiwascMetrics;
}

/**
 * A wake: the magic packet on each interface, and the one holding the node's address follows it until
 * it answers or the timeout passes. The address and password are checked when the job is planned.
 */
export function planWake(options: WakeJobOptions): PlannedJob<WakeRecord> {
  const followIp = options.followIp ? parseAddressInput(options.followIp, "ip") : undefined;
  let password: Uint8Array | undefined;
  try {
    password = options.password ? parseSecureOnPassword(options.password) : undefined;
  } catch (error) {
    throw new LiwascInputError("password", (error as Error).message);
  }
  const record: WakeRecord = {
    id: crypto.randomUUID(),
    mac: options.mac,
    ip: options.followIp,
    interface: options.interfaces.join(","),
    state: "sent",
    packetsSent: 0,
    probes: 0,
    started: Date.now(),
  };
  return {
    record,
    async work(job) {
      for (const name of options.interfaces) {
        const follows = followIp !== undefined && interfaceReaches(name, followIp);
        const final = await wake({
          interface: name,
          mac: options.mac,
          password,
          followIp: follows ? followIp : undefined,
          timeoutMs: (options.timeoutSeconds || 120) * 1000,
          signal: job.signal,
          metrics: options.metrics,
          onProgress: (progress) => {
            record.state = progress.state;
            record.packetsSent = progress.packetsSent;
            record.probes = progress.probes;
            job.publish();
          },
        });
        record.state = final.state;
        if (follows) break;
      }
    },
  };
}

/**
 * Wakes as jobs: a wake ends in the state its follow-up reached (awake, timed-out, cancelled) or failed,
 * and is counted.
 */
export function wakeJobKind(
  options: Pick<JobKind<WakeRecord>, "save" | "feed"> & { metrics: LiwascMetrics },
): JobKind<WakeRecord> {
  return {
    save: options.save,
    feed: options.feed,
    endState: (outcome, record) => outcome === "failed" ? "failed" : record.state,
    onStarted: () => options.metrics.wakeStarted(),
    onEnded: (record) => options.metrics.wakeEnded(record.state),
  };
}
