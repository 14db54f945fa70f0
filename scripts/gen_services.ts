// Writes core/liwasc/services/services.gen.json, the port → service-name table of the liwasc scanner, from
// the IANA service-name registry as Debian ships it. Wireshark's copy (libwireshark-data) is the full
// registry with descriptions; netbase's /etc/services is a poor fallback: a few hundred ports, comments only
// on some. sctp and dccp are dropped: the scanner speaks tcp and udp.
//
// Usage: deno run --allow-read --allow-write scripts/gen_services.ts [--check] [--source FILE]
//   --check   write nothing; exit 1 when the committed file differs from what would be generated
import { createHash } from "node:crypto";
import { parseServicesFile } from "../core/liwasc/services/services_file.ts";
import { buildServicesData, formatServicesJson } from "../core/liwasc/services/services_json.ts";
import type { ServicesSource } from "../core/liwasc/services/services_data.ts";

export const OUTPUT = new URL("../core/liwasc/services/services.gen.json", import.meta.url);

/** Tried in order; the package name lets the source record say which snapshot of the registry this is. */
export const SOURCES = [
  { file: "/usr/share/wireshark/services", package: "libwireshark-data" },
  { file: "/etc/services", package: "netbase" },
];

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

async function installedVersion(packageName: string): Promise<string | undefined> {
  const status = await Deno.readTextFile("/var/lib/dpkg/status").catch(() => "");
  for (const paragraph of status.split("\n\n")) {
    if (!paragraph.startsWith(`Package: ${packageName}\n`)) continue;
    if (!/^Status: .* installed$/m.test(paragraph)) continue;
    return /^Version: (.+)$/m.exec(paragraph)?.[1];
  }
  return undefined;
}

/** The IANA address the file's header names; other links in headers (mailing lists) are not the origin. */
function headerOrigin(text: string): string | undefined {
  const header = text.slice(0, Math.max(0, text.search(/^[^#\n]/m)));
  const urls = header.match(/https?:\/\/\S+/g) ?? [];
  return urls.map((url) => url.replace(/[.,;)]+$/, "")).find((url) => url.includes("iana.org"));
}

export async function generate(file: string): Promise<string> {
  const bytes = await Deno.readFile(file);
  const text = new TextDecoder().decode(bytes);
  const packageName = SOURCES.find((source) => source.file === file)?.package;
  const version = packageName && await installedVersion(packageName);
  const origin = headerOrigin(text);
  const source: ServicesSource = {
    file,
    ...(packageName && version ? { package: `${packageName} ${version}` } : {}),
    ...(origin ? { origin } : {}),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
  return formatServicesJson(buildServicesData(parseServicesFile(text), source));
}

function usage(message: string): never {
  console.error(`${message}\nusage: gen_services.ts [--check] [--source FILE]`);
  Deno.exit(2);
}

async function main(args: string[]): Promise<number> {
  let check = false;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--check") check = true;
    else if (args[i] === "--source") file = args[++i] ?? usage("--source needs a file");
    else usage(`unknown argument ${args[i]}`);
  }
  file ??= SOURCES.find((source) => exists(source.file))?.file;
  if (!file) usage(`no services file found (looked for ${SOURCES.map((source) => source.file).join(", ")})`);
  const generated = await generate(file);
  if (!check) {
    await Deno.writeTextFile(OUTPUT, generated);
    console.log(`wrote ${OUTPUT.pathname} from ${file}`);
    return 0;
  }
  const committed = await Deno.readTextFile(OUTPUT).catch(() => undefined);
  if (committed === generated) return 0;
  const sourceOption = file === SOURCES[0].file ? "" : ` --source ${file}`;
  console.error(`${OUTPUT.pathname} is not what ${file} generates; regenerate with:`);
  console.error(`  deno run --allow-read --allow-write scripts/gen_services.ts${sourceOption}`);
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
