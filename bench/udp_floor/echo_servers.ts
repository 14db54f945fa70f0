// The UDP echo servers udp_floor.ts compares, one per way a Deno program can take a datagram (see there).
// Usage: deno run --allow-all [--unstable-net] bench/udp_floor/echo_servers.ts <kind> <port>
// Prints "ready" once bound; runs until killed.
import { UdpSocket } from "../../core/sys/mod.ts";

const [kind, portText] = Deno.args;
const port = Number(portText);

/** Deno's own socket: each datagram is an async op the event loop completes. */
async function denoSocket(): Promise<void> {
  const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port });
  console.log("ready");
  for await (const [data, address] of socket) await socket.send(data, address);
}

/** CTPF's FFI socket, as necon and bofied use it: sync reads until EAGAIN, then the shared epoll poller. */
async function ctpfPoller(): Promise<void> {
  const socket = UdpSocket.open({ address: "127.0.0.1", port });
  console.log("ready");
  for (;;) {
    const datagram = await socket.receive();
    socket.sendTo(datagram.data, datagram.address, datagram.port);
  }
}

/**
 * The same FFI calls made synchronously on a Worker that blocks in recvfrom: no event-loop turn and no
 * thread hand-off per datagram, the shape a packet path moved off the main thread would have.
 */
function workerBlocking(): void {
  const worker = new Worker(new URL("./blocking_echo_worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = () => console.log("ready");
  worker.postMessage(port);
}

switch (kind) {
  case "deno":
    await denoSocket();
    break;
  case "ctpf-poller":
    await ctpfPoller();
    break;
  case "worker-blocking":
    workerBlocking();
    break;
  default:
    throw new Error(`unknown server kind ${kind}`);
}
