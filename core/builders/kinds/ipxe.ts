// ipxe: iPXE loaders whose script chainloads a script from bofied, for headless installs.
// - "prebuilt" pairs Debian's ipxe binaries (from the base image) with a generated script that bofied
//   serves beside them (Debian's 2019 binaries embed no script: they run the script bofied hands them).
// - "source" compiles iPXE from a source tarball URL with the chain script embedded (`EMBED=`), for every
//   target, arm64 EFI included (cross gcc in the base image).
import type { FieldError } from "../../errors/field_errors.ts";
import { type BuilderKind, type Parameters, withArtifactStage } from "../kind.ts";
import { BOOT_TOOLS } from "../base_images.ts";

/** Debian's ipxe package: target name → file in /usr/lib/ipxe. */
const prebuiltTargets: Record<string, string> = {
  "ipxe.efi": "ipxe.efi",
  "snponly.efi": "snponly.efi",
  "undionly.kpxe": "undionly.kpxe",
};

/** iPXE's own make goals (run in its src/) per target, and the cross prefix a target needs. */
export const sourceTargets: Record<string, { goal: string; cross?: string }> = {
  "ipxe.efi": { goal: "bin-x86_64-efi/ipxe.efi" },
  "snponly.efi": { goal: "bin-x86_64-efi/snponly.efi" },
  "undionly.kpxe": { goal: "bin/undionly.kpxe" },
  "arm64/ipxe.efi": { goal: "bin-arm64-efi/ipxe.efi", cross: "aarch64-linux-gnu-" },
};

const encoder = new TextEncoder();

export const ipxeKind: BuilderKind = {
  name: "ipxe",
  title: "iPXE",
  description: "iPXE loaders with a script that chainloads a script from bofied (BIOS, UEFI, arm64 UEFI)",
  baseImages: [BOOT_TOOLS],
  fields: [
    {
      name: "name",
      title: "Name",
      description: "the folder under builds/ in bofied's boot tree the loaders and script are published to",
      type: "string",
      required: true,
      pattern: /^[a-z0-9][a-z0-9-]{0,39}$/,
      patternHint: "lower-case letters, digits and dashes, at most 40, starting with a letter or digit",
    },
    {
      name: "mode",
      title: "Mode",
      description:
        "prebuilt: Debian's iPXE binaries with a generated script; source: compile iPXE with the " +
        "script embedded",
      type: "choice",
      choices: ["prebuilt", "source"],
      default: "prebuilt",
    },
    {
      name: "targets",
      title: "Targets",
      description: "the loaders to produce (arm64 only from source)",
      type: "choices",
      choices: Object.keys(sourceTargets),
      default: ["ipxe.efi", "undionly.kpxe"],
    },
    {
      name: "chainUrl",
      title: "Chain URL",
      description: "the script iPXE fetches and runs after DHCP (usually a file bofied serves)",
      type: "string",
      required: true,
      maxLength: 500,
      // No whitespace or quotes: it is written into an iPXE script line.
      pattern: /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%\-?=&:${}]*)?$/,
      patternHint: "an http:// or https:// URL without spaces or quotes",
    },
    {
      name: "sourceUrl",
      title: "Source tarball URL",
      description: "source mode: the iPXE source tarball (gzip, xz or bzip2; its top folder holds src/)",
      type: "string",
      maxLength: 500,
      // It becomes a Dockerfile ADD line: no whitespace or quotes.
      pattern: /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%\-?=&:+]*)?$/,
      patternHint: "an http:// or https:// URL without spaces or quotes",
    },
  ],
  check(parameters: Parameters): FieldError[] {
    if (parameters.mode === "source") {
      return parameters.sourceUrl
        ? []
        : [{ field: "parameters.sourceUrl", message: "required for source builds" }];
    }
    const errors: FieldError[] = [];
    (parameters.targets as string[]).forEach((target, i) => {
      if (!(target in prebuiltTargets)) {
        errors.push({
          field: `parameters.targets[${i}]`,
          message: `Debian ships no prebuilt ${target}: build it from source`,
        });
      }
    });
    return errors;
  },
  template(parameters: Parameters) {
    const targets = parameters.targets as string[];
    const files = [{
      name: "boot.ipxe",
      content: encoder.encode(chainScript(parameters.chainUrl as string)),
    }];
    const build = parameters.mode === "source" ? sourceBuild(targets, parameters.sourceUrl as string) : [
      `RUN cp ${targets.map((target) => `/usr/lib/ipxe/${prebuiltTargets[target]}`).join(" ")} /out/`,
    ];
    return {
      dockerfile: withArtifactStage([
        `FROM ${BOOT_TOOLS.tag} AS build`,
        "COPY boot.ipxe /out/boot.ipxe",
        ...build,
        "RUN cd /out && find . -type f | sort | xargs sha256sum",
      ]),
      files,
    };
  },
  publishFolder: (parameters) => `builds/${parameters.name}`,
};

/**
 * Dockerfile lines that unpack the tarball and run iPXE's make once per cross prefix, with the chain
 * script embedded, then copy each goal to its target name under /out. NO_WERROR: iPXE releases older
 * than the compiler warn about things that are not errors.
 */
function sourceBuild(targets: string[], sourceUrl: string): string[] {
  const byCross = new Map<string, string[]>();
  for (const target of targets) {
    const { goal, cross = "" } = sourceTargets[target];
    byCross.set(cross, [...(byCross.get(cross) ?? []), goal]);
  }
  const makes = [...byCross].map(([cross, goals]) =>
    `RUN cd /ipxe/src && make -j"$(nproc)" NO_WERROR=1 EMBED=/out/boot.ipxe ` +
    `${cross ? `CROSS=${cross} ` : ""}${goals.join(" ")}`
  );
  const copies = targets.map((target) => {
    const into = `/out/${target}`;
    return `mkdir -p ${into.slice(0, into.lastIndexOf("/"))} && cp /ipxe/src/${
      sourceTargets[target].goal
    } ${into}`;
  });
  return [
    `ADD ${sourceUrl} /in/ipxe-source`,
    "RUN mkdir /ipxe && tar -xf /in/ipxe-source -C /ipxe --strip-components=1 && test -f /ipxe/src/Makefile",
    ...makes,
    `RUN ${copies.join(" && ")}`,
  ];
}

/** The script iPXE runs: DHCP, then the chained script; on failure it says so and retries. */
export function chainScript(url: string): string {
  return [
    "#!ipxe",
    "# Generated by CTPF's ipxe builder.",
    ":start",
    "dhcp || goto retry",
    `chain --autofree ${url} || goto retry`,
    "exit",
    ":retry",
    "echo CTPF: boot script not reached, retrying in 5 s",
    "sleep 5",
    "goto start",
    "",
  ].join("\n");
}
