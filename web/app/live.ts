import { useEffect, useState } from "preact/hooks";
import { Code, ConnectError } from "@connectrpc/connect";

/** Sent on window when the API says the credential is gone (expired session, revoked token). */
export const unauthenticatedEvent = "ctpf:unauthenticated";

/**
 * Follows a server stream for as long as the component is mounted: `open` starts the stream with an
 * abort signal; every message is folded into the state; the stream is reopened with a backoff when it
 * ends or fails (server restart, network blip), so every live view gets the same behaviour.
 */
export function useLiveStream<M, S>(
  open: (signal: AbortSignal) => AsyncIterable<M>,
  fold: (state: S, message: M) => S,
  initial: S,
  dependencies: unknown[] = [],
  options: { until?: (message: M) => boolean } = {},
): { state: S; connected: boolean; error: string | null } {
  const [state, setState] = useState<S>(initial);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      let backoffMs = 500;
      while (!controller.signal.aborted) {
        try {
          setState(initial);
          setConnected(true);
          setError(null);
          let done = false;
          for await (const message of open(controller.signal)) {
            backoffMs = 500;
            done = options.until?.(message) ?? false;
            setState((previous) => fold(previous, message));
          }
          if (done) return;
        } catch (e) {
          if (controller.signal.aborted) return;
          if (e instanceof ConnectError && e.code === Code.Unauthenticated) {
            // Retrying cannot help: hand over to the login form.
            dispatchEvent(new Event(unauthenticatedEvent));
            setConnected(false);
            return;
          }
          setError(e instanceof Error ? e.message : String(e));
        }
        setConnected(false);
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 10_000);
      }
    })();
    return () => controller.abort();
  }, dependencies);
  return { state, connected, error };
}
