import { Registry } from "../metrics/registry.ts";
import type { CloudProviderKind } from "./clouds/account.ts";
import { lifecycles } from "./lifecycle.ts";
import type { NodeRecord } from "./model.ts";
import { type PowerAction, type PowerDriver, PowerDriverError, type PowerState } from "./power/driver.ts";

const powerStates: readonly PowerState[] = ["on", "off", "powering-on", "powering-off", "unknown"];

/** Label values use underscores, as in every service's metrics ("powering-on" → "powering_on"). */
const labelValue = (value: string) => value.replaceAll("-", "_");

/**
 * nodin's metrics (`ctpf_nodin_*`): what an operator of a bare-metal inventory graphs — nodes by
 * life-cycle and by observed power, power actions and polls by driver, sightings by source, cloud
 * listings by provider. Labels take fixed values only (driver, provider and source names; never a node).
 */
export class NodinMetrics {
  readonly #actions;
  readonly #polls;
  readonly #pollErrors;
  readonly #sightings;
  readonly #listings;

  /** `nodes` is read at scrape time for the node gauges. */
  constructor(registry = new Registry(), nodes: () => Iterable<NodeRecord> = () => []) {
    registry.labelledGaugeFunc(
      "ctpf_nodin_nodes",
      "Nodes by life-cycle state (discovered, enrolled, provisioning, ready, deployed, retired).",
      ["lifecycle"],
      () => countBy(lifecycles, nodes(), (node) => node.lifecycle, "lifecycle"),
    );
    registry.labelledGaugeFunc(
      "ctpf_nodin_nodes_observed_power",
      "Nodes by the power state last observed (unknown: no BMC, or it did not answer).",
      ["state"],
      () =>
        countBy(
          powerStates.map(labelValue),
          nodes(),
          (node) => labelValue(node.observedPower.state),
          "state",
        ),
    );
    this.#actions = registry.counter(
      "ctpf_nodin_power_actions_total",
      "Power actions asked of a driver, by driver, action and result (ok, or why refused: auth, " +
        "unreachable, unsupported, refused, protocol, error).",
      ["driver", "action", "result"],
    );
    this.#polls = registry.counter(
      "ctpf_nodin_power_polls_total",
      "Power status polls, by driver.",
      ["driver"],
    );
    this.#pollErrors = registry.counter(
      "ctpf_nodin_power_poll_errors_total",
      "Power status polls that could not see the power (state unknown), by driver.",
      ["driver"],
    );
    this.#sightings = registry.counter(
      "ctpf_nodin_sightings_total",
      "Sightings of a MAC, by source (necon, liwasc, bofied).",
      ["source"],
    );
    this.#listings = registry.counter(
      "ctpf_nodin_cloud_listings_total",
      "Listings of a cloud account's machines, by provider and result (ok, failed).",
      ["provider", "result"],
    );
  }

  sighted(source: string): void {
    this.#sightings.inc({ source });
  }

  cloudListed(provider: CloudProviderKind, ok: boolean): void {
    this.#listings.inc({ provider, result: ok ? "ok" : "failed" });
  }

  /** The driver, with its polls and actions counted. */
  counted(driver: PowerDriver): PowerDriver {
    const name = driver.driver;
    const counted: PowerDriver = {
      driver: name,
      capabilities: () => driver.capabilities(),
      status: async (signal) => {
        this.#polls.inc({ driver: name });
        try {
          const seen = await driver.status(signal);
          if (seen.state === "unknown") this.#pollErrors.inc({ driver: name });
          return seen;
        } catch (error) {
          this.#pollErrors.inc({ driver: name });
          throw error;
        }
      },
      act: async (action: PowerAction, signal) => {
        try {
          await driver.act(action, signal);
          this.#actions.inc({ driver: name, action: labelValue(action), result: "ok" });
        } catch (error) {
          const result = error instanceof PowerDriverError ? error.kind : "error";
          this.#actions.inc({ driver: name, action: labelValue(action), result });
          throw error;
        }
      },
    };
    if (driver.setBootDevice) counted.setBootDevice = driver.setBootDevice.bind(driver);
    if (driver.close) counted.close = driver.close.bind(driver);
    return counted;
  }
}

/** One series per known value (0 when no node has it), so a graph's lines do not come and go. */
function countBy<T>(
  known: readonly string[],
  items: Iterable<T>,
  valueOf: (item: T) => string,
  label: string,
): { labels: Record<string, string>; value: number }[] {
  const counts = new Map<string, number>(known.map((value) => [value, 0]));
  for (const item of items) {
    const value = valueOf(item);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ labels: { [label]: value }, value: count }));
}
