import { isAbsolute, join, normalize, relative, sep } from "node:path";
import { RefusedError } from "../errors/refused_error.ts";
import { hasControlCharacter } from "../text/control.ts";

/**
 * The served tree is a jail: every name a client sends (TFTP, HTTP, WebDAV, the API) is resolved here,
 * and anything that would leave the root is refused. Clients' quirks are normalised first, as tftpd-hpa
 * and dnsmasq do: a leading "/" means the root, and "\" (Windows PXE) is a separator.
 */
export class JailError extends RefusedError {
  constructor(readonly requested: string, reason: string) {
    super(`${JSON.stringify(requested.slice(0, 200))}: ${reason}`);
    this.name = "JailError";
  }
}

export class Jail {
  readonly #root: string;
  #generation = 0;

  /** `root` must exist; it is resolved once so symlinked roots work. */
  constructor(root: string) {
    this.#root = Deno.realPathSync(root);
  }

  get root(): string {
    return this.#root;
  }

  /** Counts the writes made through the tree's writers; answers remembered from before one are stale. */
  get generation(): number {
    return this.#generation;
  }

  /** Called by every writer after it changed (or may have changed) the tree. */
  changed(): void {
    this.#generation++;
  }

  /**
   * The path inside the root for a client's name, lexically checked (no "..", no NUL, no control
   * characters). Does not touch the file system; use `resolveExisting` before reading.
   */
  lexical(requested: string): string {
    if (requested.length > 4096) throw new JailError(requested, "name too long");
    if (hasControlCharacter(requested)) {
      throw new JailError(requested, "control characters are not allowed");
    }
    const slashed = requested.replaceAll("\\", "/");
    const segments = slashed.split("/").filter((segment) => segment !== "" && segment !== ".");
    if (segments.some((segment) => segment === "..")) throw new JailError(requested, '".." is not allowed');
    const path = normalize(join(this.#root, ...segments));
    if (!this.#inside(path)) throw new JailError(requested, "outside the served root");
    return path;
  }

  /**
   * The real path of an existing file or directory for a client's name; symlinks are followed and must
   * end inside the root. Throws Deno.errors.NotFound when absent.
   */
  async resolveExisting(requested: string): Promise<string> {
    return this.#checkReal(requested, await Deno.realPath(this.lexical(requested)));
  }

  /** resolveExisting for callers that answer synchronously (a cached boot file's hot path). */
  resolveExistingSync(requested: string): string {
    return this.#checkReal(requested, Deno.realPathSync(this.lexical(requested)));
  }

  #checkReal(requested: string, real: string): string {
    if (!this.#inside(real)) throw new JailError(requested, "a symbolic link leads outside the served root");
    return real;
  }

  /**
   * Where a new file may be written: its parent directory must exist inside the root (after symlinks)
   * and the name itself must not be a symlink.
   */
  async resolveForWrite(requested: string): Promise<string> {
    const path = this.lexical(requested);
    if (path === this.#root) throw new JailError(requested, "the root itself cannot be written");
    const parent = await Deno.realPath(join(path, ".."));
    if (!this.#inside(parent)) {
      throw new JailError(requested, "the parent directory is outside the served root");
    }
    try {
      if ((await Deno.lstat(path)).isSymlink) {
        throw new JailError(requested, "will not write through a symbolic link");
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return join(parent, path.slice(path.lastIndexOf(sep) + 1));
  }

  /** The client-facing name of a path inside the root ("/" separated, leading "/"). */
  nameOf(path: string): string {
    const inside = relative(this.#root, path);
    return "/" + inside.split(sep).join("/");
  }

  #inside(path: string): boolean {
    const inside = relative(this.#root, path);
    return inside === "" || (!inside.startsWith("..") && !isAbsolute(inside));
  }
}
