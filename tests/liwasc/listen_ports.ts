// Listens on every `address:port` given (one process for many hosts' ports, where a socat each would be
// hundreds), accepts and closes each connection at once, and prints "ready" once all listen. A
// connection reset before it was accepted (nmap -sT resets at once) fails that accept only.
const listeners = Deno.args.map((spec) => {
  const colon = spec.lastIndexOf(":");
  return Deno.listen({ hostname: spec.slice(0, colon), port: Number(spec.slice(colon + 1)) });
});
console.log("ready");
await Promise.all(listeners.map(async (listener) => {
  for (;;) {
    try {
      (await listener.accept()).close();
    } catch (error) {
      if (error instanceof Deno.errors.BadResource) return;
    }
  }
}));
