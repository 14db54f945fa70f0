import { basename, join } from "node:path";
import { FileOperationError } from "../errors/file_operation_error.ts";
import type { DeadProperties } from "../http/webdav/dead_properties.ts";
import { type Jail, JailError } from "./jail.ts";

export interface FileEntry {
  name: string;
  path: string;
  directory: boolean;
  size: number;
  modified?: Date;
}

export { FileOperationError };

const maxReadBytes = 16 << 20;

async function entryOf(jail: Jail, path: string): Promise<FileEntry> {
  const info = await Deno.stat(path);
  return {
    name: basename(path),
    path: jail.nameOf(path),
    directory: info.isDirectory,
    size: info.isDirectory ? 0 : info.size,
    modified: info.mtime ?? undefined,
  };
}

async function existing(jail: Jail, name: string): Promise<string> {
  try {
    return await jail.resolveExisting(name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new FileOperationError("not-found", `${name}: no such file`);
    }
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * File management for one served tree, every name through the jail: what the API, WebDAV and the web
 * explorer share. Symbolic links are followed only within the tree.
 */
export class ServedFiles {
  /**
   * `properties`: the tree's WebDAV dead properties, kept beside it; every change through this class moves,
   * copies or drops them with their files, so a rename in the API or the page loses none and a new file
   * never inherits an old one's.
   */
  constructor(readonly jail: Jail, readonly properties?: DeadProperties) {}

  #canonical(name: string): string {
    return this.jail.nameOf(this.jail.lexical(name));
  }

  /** A name that did not exist before a write starts without properties (a stale row could remain). */
  async #forgetIfNew(name: string, path: string): Promise<void> {
    if (this.properties && !(await exists(path))) this.properties.remove(this.#canonical(name));
  }

  /** Runs a change to the tree and then tells the jail, whether it finished or failed half-way. */
  async #changing<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.jail.changed();
    }
  }

  async list(name: string): Promise<FileEntry[]> {
    const directory = await existing(this.jail, name);
    const entries: FileEntry[] = [];
    for await (const item of Deno.readDir(directory)) {
      try {
        const path = await this.jail.resolveExisting(this.jail.nameOf(join(directory, item.name)));
        entries.push({
          ...(await entryOf(this.jail, path)),
          name: item.name,
          path: this.jail.nameOf(join(directory, item.name)),
        });
      } catch (error) {
        // Dangling links and links out of the tree are not shown.
        if (!(error instanceof JailError) && !(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    return entries.sort((a, b) => Number(b.directory) - Number(a.directory) || a.name.localeCompare(b.name));
  }

  async stat(name: string): Promise<FileEntry> {
    return await entryOf(this.jail, await existing(this.jail, name));
  }

  async read(name: string): Promise<{ entry: FileEntry; content: Uint8Array }> {
    const path = await existing(this.jail, name);
    const entry = await entryOf(this.jail, path);
    if (entry.directory) throw new FileOperationError("invalid", `${name} is a directory`);
    if (entry.size > maxReadBytes) {
      throw new FileOperationError("too-large", `${name} is over ${maxReadBytes} bytes; fetch it over HTTP`);
    }
    return { entry, content: await Deno.readFile(path) };
  }

  /** Writes via a temporary file and a rename, so a booting machine never reads half a file. */
  write(name: string, content: Uint8Array, parents = false): Promise<FileEntry> {
    return this.#changing(async () => {
      if (parents) await this.#makeParents(name);
      const path = await this.#target(name);
      await this.#forgetIfNew(name, path);
      if ((await exists(path)) && (await Deno.stat(path)).isDirectory) {
        throw new FileOperationError("invalid", `${name} is a directory`);
      }
      const temporary = `${path}.ctpf-upload-${crypto.randomUUID()}`;
      try {
        await Deno.writeFile(temporary, content);
        await Deno.rename(temporary, path);
      } catch (error) {
        await Deno.remove(temporary).catch(() => {});
        throw error;
      }
      return await entryOf(this.jail, path);
    });
  }

  writeStream(name: string, stream: ReadableStream<Uint8Array>): Promise<FileEntry> {
    return this.#changing(async () => {
      const path = await this.#target(name);
      await this.#forgetIfNew(name, path);
      const temporary = `${path}.ctpf-upload-${crypto.randomUUID()}`;
      try {
        const file = await Deno.open(temporary, { write: true, createNew: true });
        await stream.pipeTo(file.writable);
        await Deno.rename(temporary, path);
      } catch (error) {
        await Deno.remove(temporary).catch(() => {});
        throw error;
      }
      return await entryOf(this.jail, path);
    });
  }

  makeDirectory(name: string): Promise<void> {
    return this.#changing(async () => {
      const path = await this.#target(name);
      if (await exists(path)) throw new FileOperationError("exists", `${name} exists`);
      this.properties?.remove(this.#canonical(name));
      await Deno.mkdir(path);
    });
  }

  move(from: string, to: string, overwrite: boolean): Promise<void> {
    return this.#changing(async () => {
      const source = await existing(this.jail, from);
      if (source === this.jail.root) throw new FileOperationError("invalid", "the root cannot be moved");
      const target = await this.#target(to);
      refuseOverlap(source, target);
      await this.#clear(target, to, overwrite);
      // Rename the name itself (a link stays a link), not what it resolves to.
      await Deno.rename(this.jail.lexical(from), target);
      this.properties?.move(this.#canonical(from), this.#canonical(to));
    });
  }

  copy(from: string, to: string, overwrite: boolean): Promise<void> {
    return this.#changing(async () => {
      const source = await existing(this.jail, from);
      const target = await this.#target(to);
      refuseOverlap(source, target);
      await this.#clear(target, to, overwrite);
      await copyTree(source, target);
      this.properties?.copy(this.#canonical(from), this.#canonical(to), true);
    });
  }

  delete(name: string, recursive: boolean): Promise<void> {
    return this.#changing(async () => {
      const path = await existing(this.jail, name);
      if (path === this.jail.root) throw new FileOperationError("invalid", "the root cannot be deleted");
      try {
        await Deno.remove(this.jail.lexical(name), { recursive });
        this.properties?.remove(this.#canonical(name));
      } catch (error) {
        if (!recursive && (error as Error).message.includes("not empty")) {
          throw new FileOperationError("invalid", `${name} is not empty (delete recursively)`);
        }
        throw error;
      }
    });
  }

  async #target(name: string): Promise<string> {
    try {
      return await this.jail.resolveForWrite(name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new FileOperationError("not-found", `${name}: no such directory`);
      }
      throw error;
    }
  }

  async #clear(target: string, name: string, overwrite: boolean): Promise<void> {
    if (!(await exists(target))) return;
    if (!overwrite) throw new FileOperationError("exists", `${name} exists`);
    await Deno.remove(target, { recursive: true });
  }

  async #makeParents(name: string): Promise<void> {
    // One level at a time, each checked after symlinks, so no directory is ever made outside the tree.
    const segments = this.jail.nameOf(this.jail.lexical(name)).split("/").filter(Boolean).slice(0, -1);
    for (let depth = 1; depth <= segments.length; depth++) {
      const level = "/" + segments.slice(0, depth).join("/");
      try {
        await this.jail.resolveExisting(level);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        await Deno.mkdir(await this.jail.resolveForWrite(level));
      }
    }
  }
}

/** Moving or copying onto itself, into itself or over an ancestor would destroy the source. */
function refuseOverlap(source: string, target: string): void {
  if (target === source || `${target}/`.startsWith(`${source}/`) || `${source}/`.startsWith(`${target}/`)) {
    throw new FileOperationError("invalid", "source and destination overlap");
  }
}

async function copyTree(source: string, target: string): Promise<void> {
  const info = await Deno.stat(source);
  if (!info.isDirectory) return await Deno.copyFile(source, target);
  await Deno.mkdir(target);
  for await (const item of Deno.readDir(source)) {
    if (item.isSymlink) continue;
    await copyTree(join(source, item.name), join(target, item.name));
  }
}
