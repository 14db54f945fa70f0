import { useState } from "preact/hooks";
import { type Wake, WakeState } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { errorText, liwascApi, wakeStateNames } from "./api.ts";

const stateClass: Record<number, string> = {
  [WakeState.AWAKE]: "badge on",
  [WakeState.TIMED_OUT]: "badge warn",
  [WakeState.FAILED]: "badge warn",
};

/**
 * The wake button and, beside it, the node's latest wake as it goes: sent → waiting → awake, or timed out.
 * The state comes from SubscribeToWakes, so a wake started elsewhere shows here too.
 */
export function WakeButton({ mac, wake }: { mac: string; wake?: Wake }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <span class="wake">
      <button
        type="button"
        onClick={() =>
          liwascApi().startWake({ mac }).then(() => setError(null), (e) => setError(errorText(e)))}
      >
        Wake
      </button>{" "}
      {wake && (
        <span
          class={stateClass[wake.state] ?? "badge"}
          data-field="wake"
          title={`${wake.packetsSent} packets on ${wake.interface}, ${wake.probes} probes${
            wake.error ? `: ${wake.error}` : ""
          }`}
        >
          {wakeStateNames[wake.state] ?? ""}
        </span>
      )}
      {error && <small class="error" role="alert">{error}</small>}
    </span>
  );
}
