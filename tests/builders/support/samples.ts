// One representative build per builder kind (and mode), with its inputs made in a folder served on
// loopback: what the benchmark times cold and cached. Each kind's tests check these builds' outputs.
import type { Parameters } from "../../../core/builders/kind.ts";
import { ipxeStandInTarball } from "./ipxe_standin.ts";

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
];
