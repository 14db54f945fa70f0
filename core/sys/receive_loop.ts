import type { Datagram, UdpSocket } from "./udp.ts";

/**
 * The datagrams arriving on `socket` until `signal` aborts (then it ends quietly). A failing receive is
 * reported through `onError` and retried after a short pause, so a server loop never spins or dies on
 * a transient error.
 */
export async function* receiveUntil(
  socket: UdpSocket,
  signal: AbortSignal,
  onError: (error: Error) => void = () => {},
): AsyncGenerator<Datagram> {
  while (!signal.aborted) {
    let datagram: Datagram;
    try {
      datagram = await socket.receive({ signal });
    } catch (error) {
      if (signal.aborted) return;
      onError(error as Error);
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    yield datagram;
  }
}
