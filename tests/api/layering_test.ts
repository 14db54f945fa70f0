// The layering rules of docs/ARCHITECTURE.md, checked on the source: no service imports another service's
// folder (core/<service>/, its page under web/app/pages/, its binary under cmd/), nothing under core/
// imports tests/, and only core/sys opens libc. Imports are resolved to paths, so `../x/` and
// `../../core/x/` count alike. cmd/ctpf.ts with its adapters, and the web shell's main.tsx, are the wiring
// that may name every service.
import { dirname, join, relative, resolve } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";

const root = resolve(new URL("../../", import.meta.url).pathname);
const allInOneWiring = new Set([
  "cmd/ctpf.ts",
  "cmd/nodin_feeds.ts",
  "cmd/builders_publisher.ts",
  "cmd/deployers_targets.ts",
  "web/app/main.tsx",
]);

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(root, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".gen.ts")) found.push(path);
  }
  return found;
}

/** The repository paths a file imports by relative specifier (static, dynamic and re-exports). */
function importsOf(file: string, text: string): string[] {
  const specifiers = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)"(\.{1,2}\/[^"]+)"/gm);
  return [...specifiers].map(([, specifier]) => relative(root, resolve(root, dirname(file), specifier)));
}

/** The service a path belongs to, or undefined for shared code. */
function serviceOf(path: string, services: string[]): string | undefined {
  const match = /^(?:core|cmd|web\/app\/pages)\/([a-z_]+)(?:\/|\.tsx?$)/.exec(path);
  return match && services.includes(match[1]) ? match[1] : undefined;
}

Deno.test("layering: no service imports another's folder, core/ imports nothing from tests/, only core/sys opens libc", async () => {
  // A service is a core/ folder with a module.ts (core/api's defines the shape).
  const services: string[] = [];
  for await (const entry of Deno.readDir(join(root, "core"))) {
    const hasModule = await Deno.stat(join(root, "core", entry.name, "module.ts")).then(
      () => true,
      () => false,
    );
    if (entry.isDirectory && hasModule && entry.name !== "api") services.push(entry.name);
  }
  for (const known of ["necon", "bofied", "liwasc", "gloeth", "nodin", "builders", "deployers"]) {
    assert(services.includes(known), `${known} is found as a service (found: ${services.join(", ")})`);
  }

  const problems: string[] = [];
  const files = [...await sourceFiles("core"), ...await sourceFiles("cmd"), ...await sourceFiles("web/app")];
  assert(files.length > 500, `only ${files.length} source files found`);
  for (const file of files) {
    const text = await Deno.readTextFile(join(root, file));
    const own = serviceOf(file, services);
    for (const target of importsOf(file, text)) {
      if (file.startsWith("core/") && target.startsWith("tests/")) problems.push(`${file} imports ${target}`);
      const theirs = serviceOf(target, services);
      if (own && theirs && theirs !== own) problems.push(`${file} (${own}) imports ${target} (${theirs})`);
      // Shared code may not lean on a service either, except the all-in-one's wiring (and tests of it).
      const wiring = allInOneWiring.has(file) || file.endsWith("_test.ts");
      if (!own && theirs && !wiring) problems.push(`shared ${file} imports ${target} (${theirs})`);
    }
    const testData = /\/testdata\//.test(file);
    if (/\bDeno\.dlopen\(/.test(text) && !file.startsWith("core/sys/") && !testData) {
      problems.push(`${file} opens a library itself instead of through core/sys`);
    }
  }
  assertEquals(problems, []);
});
