import { useState } from "preact/hooks";
import { type Wake, WakeState } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { Field } from "../../components/field.tsx";
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
export function WakeButton(
  { mac, wake, options }: {
    mac: string;
    wake?: Wake;
    options?: { timeoutSeconds: number; password: string };
  },
) {
  const [error, setError] = useState<string | null>(null);
  return (
    <span class="wake">
      <button
        type="button"
        onClick={() =>
          liwascApi().startWake({ mac, ...options }).then(
            () => setError(null),
            (e) => setError(errorText(e)),
          )}
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

/** The wake button with what a wake may be given: how long to wait for the node, a SecureOn password. */
export function WakeWithOptions({ mac, wake }: { mac: string; wake?: Wake }) {
  const [timeoutText, setTimeoutText] = useState("");
  const [password, setPassword] = useState("");
  const seconds = timeoutText.trim() === "" ? 0 : Number(timeoutText);
  const timeoutError = Number.isInteger(seconds) && seconds >= 0 ? undefined : "a whole number of seconds";
  return (
    <>
      {timeoutError
        ? <button type="button" disabled>Wake</button>
        : <WakeButton mac={mac} wake={wake} options={{ timeoutSeconds: seconds, password }} />}
      <details class="wake-options">
        <summary>Wake options</summary>
        <Field
          label="Wait for the node (seconds)"
          name="timeout_seconds"
          hint="empty: 120"
          error={timeoutError}
        >
          <input
            name="wake_timeout"
            inputMode="numeric"
            placeholder="120"
            value={timeoutText}
            onInput={(e) => setTimeoutText(e.currentTarget.value)}
          />
        </Field>
        <Field label="SecureOn password" name="password" hint="aa:bb:cc:dd:ee:ff or 1.2.3.4; empty: none">
          <input name="wake_password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
      </details>
    </>
  );
}
