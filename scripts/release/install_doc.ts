// README.md in a release archive: what is inside and how to install it as a service.
import type { Arch } from "../compile.ts";
import { archiveFile, environmentFile, inArchive, installRoot, releaseName } from "./layout.ts";

export interface DocFacts {
  version: string;
  arch: Arch;
  summary: string;
  denoVersion: string;
  denoPackage: string;
  commit?: string;
  /** A command a person runs (a deployer): no unit, nothing to install as a service. */
  tool?: boolean;
}

/** The title, what it is and where it came from, and the files every archive holds. */
function heading(name: string, facts: DocFacts, program: string): string[] {
  return [
    `# ${name} ${facts.version} for Linux ${facts.arch}`,
    "",
    `CTPF ${name}: ${facts.summary}.`,
    `Built from commit ${facts.commit ?? "(unknown)"}; runs on Deno ${facts.denoVersion} (from the npm ` +
    `package ${facts.denoPackage}, MIT licence in \`${inArchive.denoLicense}\`), included.`,
    "",
    "| file | what it is |",
    "| --- | --- |",
    `| \`${inArchive.launcher(name)}\` | the command: runs the program with the included Deno |`,
    `| \`${inArchive.bundle(name)}\` | ${program} |`,
    `| \`${inArchive.deno}\` | Deno ${facts.denoVersion} for ${facts.arch} (glibc) |`,
  ];
}

/** A tool's README: what it is and how to run it; it finds the other archives of the release beside its own folder. */
function toolDoc(name: string, facts: DocFacts): string {
  const folder = releaseName(name, facts.version, facts.arch);
  const archive = archiveFile(name, facts.version, facts.arch);
  return [
    ...heading(name, facts, "the program, as one JavaScript file"),
    "",
    "## Run",
    "",
    "A command for a workstation, not a service. Unpack it in the release folder (beside SHA256SUMS and the",
    "other archives, which it deploys from) and run it:",
    "",
    "```sh",
    `sha256sum -c --ignore-missing SHA256SUMS`,
    `tar -xzf ${archive}`,
    `./${folder}/${inArchive.launcher(name)} --help`,
    "```",
    "",
  ].join("\n");
}

export function installDoc(name: string, facts: DocFacts): string {
  if (facts.tool) return toolDoc(name, facts);
  const folder = releaseName(name, facts.version, facts.arch);
  const archive = archiveFile(name, facts.version, facts.arch);
  const prefix = `CTPF_${name.toUpperCase()}_`;
  const gloeth = name === "gloeth"
    ? [
      "",
      "gloeth needs a node folder first (see `gloeth --help`): make the network once, off the nodes, and",
      "one node folder per node, then copy it to the node:",
      "",
      "```sh",
      `${installRoot}/${name}/bin/gloeth network-init ./net`,
      `${installRoot}/${name}/bin/gloeth node-init ./net /etc/ctpf/gloeth/node --name "$(hostname)"`,
      "```",
    ]
    : [];
  return [
    ...heading(name, facts, "the program, web UI included, as one JavaScript file"),
    `| \`${inArchive.unit(name)}\` | the systemd unit |`,
    "",
    "## Install",
    "",
    "Check the archive against SHA256SUMS (beside it), unpack it under /opt/ctpf and point",
    `${installRoot}/${name} at it, which the unit runs; an upgrade is the same with the new archive.`,
    "",
    "```sh",
    `sha256sum -c --ignore-missing SHA256SUMS`,
    `mkdir -p ${installRoot} && tar -xzf ${archive} -C ${installRoot}`,
    `ln -sfn ${folder} ${installRoot}/${name}`,
    `cp ${installRoot}/${name}/${inArchive.unit(name)} /etc/systemd/system/`,
    `systemctl daemon-reload && systemctl enable --now ${name}`,
    "```",
    ...gloeth,
    "",
    `Flags go in ${environmentFile(name)}, one \`${prefix}<FLAG>=value\` per line (e.g. ` +
    `\`${prefix}LISTEN=0.0.0.0:<port>\` to serve the API and web UI beyond this machine; ` +
    `\`${installRoot}/${name}/bin/${name} --help\` lists every flag and default), then ` +
    `\`systemctl restart ${name}\`. The store, admin token and service files are in /var/lib/ctpf/${name} ` +
    `(\`cat /var/lib/ctpf/${name}/admin.token\` for the web UI).`,
    "",
  ].join("\n");
}
