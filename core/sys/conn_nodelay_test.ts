import { assert, assertEquals } from "../testing/assert.ts";
import { IPPROTO_TCP, TCP_NODELAY } from "./constants.ts";
import { findTcpSocket, setNoDelayByAddresses } from "./conn_nodelay.ts";
import { libc } from "./libc.ts";

function noDelay(fd: number): number {
  const value = new Uint8Array(4);
  const length = new Uint8Array(new Uint32Array([4]).buffer);
  assertEquals(libc().getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, value, length), 0);
  return new DataView(value.buffer).getInt32(0, true);
}

const text = (address: Deno.Addr) =>
  `${(address as Deno.NetAddr).hostname}:${(address as Deno.NetAddr).port}`;

Deno.test("setNoDelayByAddresses: finds an accepted connection's socket by its addresses and sets it", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using dialed = await Deno.connect({ hostname: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port });
  using accepted = await listener.accept();
  const local = text(accepted.localAddr), remote = text(accepted.remoteAddr);
  const fd = findTcpSocket(local, remote);
  assert(fd !== undefined, "the accepted socket was not found");
  assertEquals(findTcpSocket(text(dialed.localAddr), text(dialed.remoteAddr)) !== fd, true);
  assertEquals(noDelay(fd), 0, "Deno left Nagle on (else this test proves nothing)");
  assert(setNoDelayByAddresses(local, remote));
  assertEquals(noDelay(fd), 1);
  assertEquals(setNoDelayByAddresses(local, "127.0.0.1:1"), false, "a socket that does not exist");
});
