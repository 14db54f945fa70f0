// The Debian package version that installed a file is the best "which snapshot" label a source has when
// the file itself carries no date (ieee-data's CSVs do not).

export const DPKG_STATUS = "/var/lib/dpkg/status";

/** "ieee-data 20240827.1", or undefined when dpkg does not list the package as installed. */
export async function installedPackage(name: string, statusFile = DPKG_STATUS): Promise<string | undefined> {
  const status = await Deno.readTextFile(statusFile).catch(() => "");
  for (const paragraph of status.split("\n\n")) {
    if (!paragraph.startsWith(`Package: ${name}\n`)) continue;
    if (!/^Status: .* installed$/m.test(paragraph)) continue;
    const version = /^Version: (.+)$/m.exec(paragraph)?.[1];
    return version ? `${name} ${version}` : undefined;
  }
  return undefined;
}
