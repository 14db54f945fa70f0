// bin/<name> in a release archive: runs lib/<name>.js with the Deno in lib/deno and the binary's
// permissions. It finds its folder through symlinks (readlink -f), so /usr/local/bin/<name> may point at it.
import type { BinarySpec } from "../../cmd/binaries.ts";
import { shellQuote } from "../bundle.ts";
import { inArchive } from "./layout.ts";

export interface LauncherFacts {
  version: string;
  denoVersion: string;
  commit?: string;
}

export function releaseLauncher(name: string, spec: BinarySpec, facts: LauncherFacts): string {
  const flags = spec.permissions.map(shellQuote).join(" ");
  return [
    "#!/bin/sh",
    `# ${name} ${facts.version}: runs ../${inArchive.bundle(name)} with the Deno ${facts.denoVersion} in ` +
    `../${inArchive.deno}.`,
    "# DENO=/path/to/deno runs it with another Deno 2.9 instead.",
    "set -e",
    `here=$(dirname -- "$(readlink -f -- "$0")")/..`,
    // Defaults only: an operator's environment wins.
    ...(facts.commit ? [`: "\${CTPF_COMMIT:=${facts.commit}}"`, "export CTPF_COMMIT"] : []),
    // A service must not reach out to the Deno CDN to ask for a newer Deno.
    `: "\${DENO_NO_UPDATE_CHECK:=1}"`,
    "export DENO_NO_UPDATE_CHECK",
    // --no-config: a deno.json in the working directory must not change how the program runs;
    // --cached-only: the bundle has no remote imports, and none may be fetched at run time.
    `exec "\${DENO:-$here/${inArchive.deno}}" run --no-config --cached-only ${flags} ` +
    `"$here/${inArchive.bundle(name)}" "$@"`,
    "",
  ].join("\n");
}
