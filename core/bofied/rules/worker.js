// The rules sandbox: runs in a Worker with no permissions at all. It loads the operator's rules source
// as a data: module (so even its imports are permission-checked) and answers one request at a time.
// Plain JavaScript on purpose: a sandbox starts per rules version, and `deno test` would type-check a
// TypeScript worker at every start.

/** @type {((facts: unknown) => unknown) | undefined} */
let rules;

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.source !== undefined) {
      const bytes = new TextEncoder().encode(message.source);
      let binary = "";
      for (let i = 0; i < bytes.length; i += 8192) {
        binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
      }
      const encoded = btoa(binary);
      const module = await import(`data:application/typescript;base64,${encoded}`);
      if (typeof module.default !== "function") {
        throw new Error("the rules file must `export default` a function");
      }
      rules = module.default;
      self.postMessage({ id: message.id, ok: true });
      return;
    }
    if (!rules) throw new Error("no rules loaded");
    const answer = await rules(message.facts);
    // Structured clone drops functions and class identity: only plain data leaves the sandbox.
    self.postMessage({ id: message.id, ok: true, answer: JSON.parse(JSON.stringify(answer ?? null)) });
  } catch (error) {
    self.postMessage({
      id: message.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};
