import dgram from "node:dgram";
import type { UdpProbe } from "../probe.ts";

// Sending a probe the way a scan does, for the live tests: node:dgram, because Deno.listenDatagram
// needs --unstable-net. Only loopback addresses are accepted, so a test can never probe a real network.

export interface Answer {
  readonly reply: Uint8Array;
  /** The port the reply came from: not the probed port for TFTP. */
  readonly fromPort: number;
}

/**
 * Sends the probe's payload to `host`:`port` every `intervalMs` until a datagram comes back from `host`
 * (from any port, as TFTP answers from a new one) or `timeoutMs` passes. Retransmitting like this also
 * waits out a server that is still starting.
 */
export async function exchange(
  probe: UdpProbe,
  host: string,
  port: number,
  { timeoutMs = 5000, intervalMs = 200 } = {},
): Promise<Answer> {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`${host} is not a loopback address`);
  const socket = dgram.createSocket("udp4");
  // ICMP port unreachable surfaces as an error on the socket while the server is not up yet; ignored.
  socket.on("error", () => {});
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<Answer>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      socket.on("message", (message: Uint8Array, from: dgram.RemoteInfo) => {
        if (from.address === host) resolve({ reply: new Uint8Array(message), fromPort: from.port });
      });
      const send = () => {
        if (Date.now() > deadline) {
          return reject(new Error(`no reply from ${host}:${port} in ${timeoutMs} ms`));
        }
        socket.send(probe.payload(), port, host);
        timer = setTimeout(send, intervalMs);
      };
      send();
    });
  } finally {
    clearTimeout(timer);
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** A free UDP port on `host` at the moment of asking (another process could take it before use). */
export async function freePort(host: string): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Whether this process may bind `host`:`port` now (privileged ports need root; the port may be taken). */
export async function canBind(host: string, port: number): Promise<boolean> {
  const socket = dgram.createSocket("udp4");
  const bound = await new Promise<boolean>((resolve) => {
    socket.once("error", () => resolve(false));
    socket.bind(port, host, () => resolve(true));
  });
  // Closed before returning: the server about to be started needs the port free.
  if (bound) await new Promise<void>((resolve) => socket.close(() => resolve()));
  return bound;
}
