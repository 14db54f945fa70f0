/// <reference lib="deno.worker" />
// A UDP echo that blocks in libc's recvfrom (sync FFI) on its own thread; see echo_servers.ts.
const libc = Deno.dlopen("libc.so.6", {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  recvfrom: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "buffer"], result: "isize" },
  sendto: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"], result: "isize" },
});
const AF_INET = 2, SOCK_DGRAM = 2;

self.onmessage = (event: MessageEvent<number>) => {
  const fd = libc.symbols.socket(AF_INET, SOCK_DGRAM, 0);
  const address = new Uint8Array(16);
  const view = new DataView(address.buffer);
  view.setUint16(0, AF_INET, true);
  view.setUint16(2, event.data);
  address.set([127, 0, 0, 1], 4);
  if (fd < 0 || libc.symbols.bind(fd, address, 16) !== 0) throw new Error("socket/bind failed");
  const buffer = new Uint8Array(2048), from = new Uint8Array(16), fromLength = new Uint32Array(1);
  const fromLengthBytes = new Uint8Array(fromLength.buffer);
  self.postMessage("ready");
  for (;;) {
    fromLength[0] = 16;
    const length = Number(libc.symbols.recvfrom(fd, buffer, BigInt(buffer.length), 0, from, fromLengthBytes));
    if (length >= 0) libc.symbols.sendto(fd, buffer, BigInt(length), 0, from, fromLength[0]);
  }
};
