import type { Authenticator } from "./authenticator.ts";

/**
 * Makes sure an admin token exists: on first start one is created, written to `path` with mode 0600 and
 * returned so the caller can show it once. Later starts find the file's token still valid and return
 * undefined. A token file whose token the store no longer knows (store wiped) is replaced.
 */
export function ensureAdminToken(auth: Authenticator, path: string): string | undefined {
  let existing: string | undefined;
  try {
    existing = Deno.readTextFileSync(path).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (existing && auth.isValidToken(existing)) {
    Deno.chmodSync(path, 0o600);
    return undefined;
  }
  const { text } = auth.createToken("admin", "admin");
  const temporary = `${path}.tmp`;
  Deno.writeTextFileSync(temporary, text + "\n", { mode: 0o600 });
  Deno.chmodSync(temporary, 0o600);
  Deno.renameSync(temporary, path);
  return text;
}
