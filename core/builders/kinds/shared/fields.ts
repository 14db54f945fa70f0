// Parameter patterns more than one kind uses: text that goes into Dockerfile lines, shell assignments
// in single quotes and generated configuration files as it is, so it may hold no spaces, quotes or
// line breaks unless the pattern says so.

/** http(s) URLs safe in an ADD line, a single-quoted shell word and an iPXE or config line. */
export const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%\-+=&:,@]*)?$/;
export const URL_HINT = "an http:// or https:// URL without spaces, quotes or ?";

/** A folder name under builds/ in bofied's boot tree. */
export const FOLDER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const FOLDER_NAME_HINT =
  "lower-case letters, digits and dashes, at most 40, starting with a letter or digit";

export const HOSTNAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const HOSTNAME_HINT = "a host name: lower-case letters, digits and inner dashes, at most 63";

const SSH_KEY = String
  .raw`(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [A-Za-z0-9@._+-]{1,100})?`;
/** OpenSSH public keys, `;` between them (a key's comment may not hold one). */
export const SSH_KEYS_PATTERN = new RegExp(`^${SSH_KEY}(;\\s?${SSH_KEY})*$`);
export const SSH_KEYS_HINT = "OpenSSH public keys (type, key, optional comment) separated by ';'";

/** The keys of an SSH keys parameter, one per authorized_keys line. */
export function sshKeyList(value: string | undefined): string[] {
  return (value ?? "").split(";").map((key) => key.trim()).filter(Boolean);
}

/** Kernel command-line words (cmdline.txt, iPXE kernel lines). */
export const KERNEL_ARGS_PATTERN = /^[A-Za-z0-9_.,:=\/@+-]+( [A-Za-z0-9_.,:=\/@+-]+)*$/;
export const KERNEL_ARGS_HINT = "words of letters, digits and _.,:=/@+- separated by single spaces";
