// One representative build per builder kind (and mode), with its inputs made in a folder served on
// loopback: what the benchmark times cold and cached. Each kind's tests check these builds' outputs.
import type { Parameters } from "../../../core/builders/kind.ts";
import { syntheticAlpineRelease } from "./alpine_release.ts";
import { ipxeStandInTarball } from "./ipxe_standin.ts";
import { syntheticKernelDeb, syntheticRaspberryPiOsImage } from "./rpi_image.ts";

export interface BuilderSample {
  label: string;
  kind: string;
  /** The build's parameters; inputs are written into `dir`, whose files `url` names as served. */
  parameters(dir: string, url: (name: string) => string): Promise<Parameters>;
}

export const builderSamples: BuilderSample[] = [
  {
    label: "ipxe prebuilt (efi + kpxe)",
    kind: "ipxe",
    parameters: () =>
      Promise.resolve({
        name: "bench",
        targets: ["ipxe.efi", "undionly.kpxe"],
        chainUrl: "http://127.0.0.1/x",
      }),
  },
  {
    label: "ipxe source (stand-in, 3 targets)",
    kind: "ipxe",
    parameters: async (dir, url) => ({
      name: "bench-source",
      mode: "source",
      targets: ["ipxe.efi", "undionly.kpxe", "arm64/ipxe.efi"],
      chainUrl: "http://127.0.0.1/x",
      sourceUrl: url(await ipxeStandInTarball(dir)),
    }),
  },
  {
    label: "rpi (synthetic image, img.zst)",
    kind: "rpi",
    parameters: async (dir, url) => {
      await syntheticRaspberryPiOsImage(dir);
      await syntheticKernelDeb(dir);
      return {
        name: "bench-rpi",
        imageUrl: url("raspios-synthetic.img"),
        hostname: "bench",
        sshKeys: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq1cYtHCOlnY2oHJ6Hc5vOV3Aw1cHp9a3Wb1LmE5UHb bench",
        joinUrl: "http://127.0.0.1/join.sh",
        dtbDebUrl: url("linux-image-synthetic-arm64.deb"),
        outputs: ["img.zst"],
      };
    },
  },
  {
    label: "alpine (synthetic release)",
    kind: "alpine",
    parameters: async (dir, url) => {
      const release = await syntheticAlpineRelease(dir);
      return {
        name: "bench-alpine",
        releaseUrl: url(release.netboot),
        repositoryUrl: url(release.repository),
        bootUrl: "http://127.0.0.1:8470/boot",
        hostname: "bench",
        packages: "curl",
        sshKeys: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq1cYtHCOlnY2oHJ6Hc5vOV3Aw1cHp9a3Wb1LmE5UHb bench",
      };
    },
  },
];
