// Where a host's k3s binary and images come from: the user's own artifacts when air-gapped (copied from
// the controller, nothing fetched), otherwise the release's binary from GitHub, checked against the
// release's SHA-256 list. Without air-gap images k3s pulls its images from the registries as usual.
import { type Architecture, k3sArchOf } from "./architecture.ts";
import type { K3sInventory } from "./inventory.ts";
import { K3S_BINARY_PATH, K3S_IMAGES_DIR } from "./paths.ts";
import type { PlannedFile } from "./plan_types.ts";

const RELEASES = "https://github.com/k3s-io/k3s/releases/download";

/** The release's asset names for an architecture: the binary and the SHA-256 list that covers it. */
export function releaseAssets(arch: Architecture): { binary: string; checksums: string } {
  const k3sArch = k3sArchOf(arch);
  return {
    binary: k3sArch === "amd64" ? "k3s" : `k3s-${k3sArch}`,
    checksums: `sha256sum-${k3sArch}.txt`,
  };
}

/** The image archive keeps its compression suffix: k3s picks the decompressor by it. */
function imagesName(arch: Architecture, source: string): string {
  const suffix = /\.tar(\.[a-z0-9]+)?$/.exec(source)?.[0] ?? ".tar";
  return `k3s-airgap-images-${k3sArchOf(arch)}${suffix}`;
}

export function artifactFiles(inventory: K3sInventory, arch: Architecture): PlannedFile[] {
  const artifacts = inventory.airgap?.[arch];
  if (artifacts) {
    return [
      {
        path: K3S_BINARY_PATH,
        mode: 0o755,
        secret: false,
        content: { kind: "controller-file", path: artifacts.binary },
      },
      {
        path: `${K3S_IMAGES_DIR}/${imagesName(arch, artifacts.images)}`,
        mode: 0o644,
        secret: false,
        content: { kind: "controller-file", path: artifacts.images },
      },
    ];
  }
  const version = inventory.version!;
  const assets = releaseAssets(arch);
  const base = `${RELEASES}/${encodeURIComponent(version)}`;
  return [{
    path: K3S_BINARY_PATH,
    mode: 0o755,
    secret: false,
    content: {
      kind: "download",
      url: `${base}/${assets.binary}`,
      checksumsUrl: `${base}/${assets.checksums}`,
      checksumName: assets.binary,
    },
  }];
}
