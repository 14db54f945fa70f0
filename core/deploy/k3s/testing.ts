// Inventories the k3s tests share: one server; three servers and two agents on a gloeth mesh.
import type { K3sInventoryInput } from "./inventory.ts";

export const TOKEN_FILE = "/etc/ctpf/k3s/lab.token";

export function oneServer(overrides: K3sInventoryInput = {}): K3sInventoryInput {
  return {
    cluster: "lab",
    servers: [{ name: "s1", overlayAddress: "10.200.0.1", arch: "x86_64" }],
    tokenFile: TOKEN_FILE,
    version: "v1.31.4+k3s1",
    ...overrides,
  };
}

export function highlyAvailable(overrides: K3sInventoryInput = {}): K3sInventoryInput {
  return {
    cluster: "lab",
    servers: [
      { name: "s1", overlayAddress: "10.200.0.1", arch: "x86_64" },
      { name: "s2", overlayAddress: "10.200.0.2", arch: "x86_64" },
      { name: "s3", overlayAddress: "10.200.0.3", overlayInterface: "mesh0", arch: "aarch64" },
    ],
    agents: [
      { name: "a1", overlayAddress: "10.200.0.11", arch: "x86_64" },
      { name: "a2", overlayAddress: "10.200.0.12", arch: "aarch64" },
    ],
    tokenFile: TOKEN_FILE,
    tlsSans: ["k3s.lab.example", "192.0.2.10"],
    version: "v1.31.4+k3s1",
    ...overrides,
  };
}
