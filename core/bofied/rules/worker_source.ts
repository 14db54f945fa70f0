/**
 * The rules sandbox's code, started as a data: URL Worker with no permissions: kept as a string so a
 * bundled or compiled binary carries it without a file beside it, and so `deno test` does not type-check
 * a worker at every start. It loads the operator's rules source as a data: module (its imports are then
 * permission-checked too) and answers one request at a time.
 */
export const workerSource =
  `// The rules sandbox: runs in a Worker with no permissions at all. It loads the operator's rules source
// as a data: module (so even its imports are permission-checked) and answers one request at a time.

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
      const module = await import(\`data:application/typescript;base64,\${encoded}\`);
      if (typeof module.default !== "function") {
        throw new Error("the rules file must \`export default\` a function");
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
`;

export const workerUrl = `data:application/javascript;base64,${btoa(workerSource)}`;
