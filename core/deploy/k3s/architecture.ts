// A host's architecture in the deployers' terms (what `uname -m` says, as core/deploy/ssh reports it)
// and in k3s's release names, which follow Go's (amd64, arm64).

export const ARCHITECTURES = ["x86_64", "aarch64"] as const;
export type Architecture = typeof ARCHITECTURES[number];

export function isArchitecture(value: unknown): value is Architecture {
  return typeof value === "string" && (ARCHITECTURES as readonly string[]).includes(value);
}

export function k3sArchOf(arch: Architecture): "amd64" | "arm64" {
  return arch === "x86_64" ? "amd64" : "arm64";
}
