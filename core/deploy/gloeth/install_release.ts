// The release on a host: the archive for its architecture uploaded (checked by SHA-256 on arrival and
// again before unpacking), unpacked to /opt/ctpf/<folder> beside other versions, and /opt/ctpf/gloeth
// switched to it in one rename. The unpacked folder remembers the archive's digest, so a second run
// uploads nothing; the archive itself is not kept.
import { shellQuote } from "../ssh/shell.ts";
import { run } from "../ssh/steps.ts";
import type { StepResult, Target } from "../ssh/target.ts";
import { CURRENT_LINK, INSTALL_ROOT, UNPACKED_MARK } from "./paths.ts";
import type { ReleaseArchive } from "./release.ts";

const UPLOAD_TIMEOUT_MS = 600_000;

export async function ensureUnpacked(
  target: Target,
  archive: ReleaseArchive,
  read: () => Promise<Uint8Array>,
): Promise<StepResult> {
  const folder = `${INSTALL_ROOT}/${archive.folder}`;
  const step = `release ${folder}`;
  const { stdout } = await target.connection.exec(
    `cat ${shellQuote(`${folder}/${UNPACKED_MARK}`)} 2>/dev/null || true`,
  );
  const present = stdout.trim();
  if (present === archive.sha256) return target.report(step, false, "already unpacked");
  const detail = present ? "unpacked from another archive" : "absent";
  if (!target.plan) {
    const upload = `${INSTALL_ROOT}/.${archive.file}.upload`;
    const staging = `${INSTALL_ROOT}/.${archive.folder}.unpacking`;
    await target.connection.exec(["install", "-d", "-m", "755", INSTALL_ROOT]);
    await target.connection.upload(upload, await read(), { mode: 0o600, timeoutMs: UPLOAD_TIMEOUT_MS });
    const [u, s, f] = [upload, staging, folder].map(shellQuote);
    await target.connection.exec(
      [
        "set -e",
        `echo ${archive.sha256}'  '${u} | sha256sum -c --quiet`,
        `rm -rf ${s}`,
        `mkdir -m 755 ${s}`,
        `tar -xzf ${u} -C ${s} --no-same-owner`,
        `test -d ${s}/${shellQuote(archive.folder)}`,
        `echo ${archive.sha256} > ${s}/${shellQuote(archive.folder)}/${UNPACKED_MARK}`,
        `rm -rf ${f}`,
        `mv ${s}/${shellQuote(archive.folder)} ${f}`,
        `rmdir ${s}`,
        `rm -f ${u}`,
      ].join("; "),
      { timeoutMs: 300_000 },
    );
  }
  const done = target.plan
    ? `${archive.file} to upload and unpack`
    : `${archive.file} uploaded, sha256 checked, unpacked`;
  return target.report(step, true, `${detail}: ${done}`);
}

/** /opt/ctpf/gloeth points at the release folder. */
export function ensureCurrentLink(target: Target, archive: ReleaseArchive): Promise<StepResult> {
  const link = shellQuote(CURRENT_LINK);
  const next = shellQuote(`${CURRENT_LINK}.next`);
  const folder = shellQuote(archive.folder);
  return run(
    target,
    `link ${CURRENT_LINK} → ${archive.folder}`,
    `ln -sfn ${folder} ${next} && mv -T ${next} ${link}`,
    {
      unless: `[ "$(readlink ${link})" = ${folder} ]`,
    },
  );
}
