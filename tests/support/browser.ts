// Headless Debian Chromium through playwright-core, with a fresh profile that is removed on dispose.
// CTPF_CHROMIUM=/path picks another binary; `netns` runs the browser inside a test's network namespace
// (playwright talks to it over a pipe, so only the pages' traffic is in the namespace).
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type Lab, rootTest, withLab } from "../harness/mod.ts";
import { withTimeout } from "../harness/wait.ts";

export const chromiumPath = Deno.env.get("CTPF_CHROMIUM") ?? "/usr/bin/chromium";
export const haveChromium = await Deno.stat(chromiumPath).then((s) => s.isFile, () => false);

/** Bound for every single wait on the page (Playwright's default is 30 s per action). */
export const pageWaitMs = 10_000;

const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser extends AsyncDisposable {
  context: BrowserContext;
  page: Page;
}

export async function launchBrowser(options: { netns?: string } = {}): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "ctpf-chromium-" });
  let executablePath = chromiumPath;
  if (options.netns) {
    executablePath = `${profile}.netns-chromium.sh`;
    await Deno.writeTextFile(
      executablePath,
      `#!/bin/sh\nexec ip netns exec ${options.netns} ${chromiumPath} "$@"\n`,
    );
    await Deno.chmod(executablePath, 0o755);
  }
  const cleanup = async (context?: BrowserContext) => {
    try {
      if (context) await withTimeout(context.close(), 15_000, "closing Chromium");
    } finally {
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      if (options.netns) await Deno.remove(executablePath).catch(() => {});
    }
  };
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      timeout: 30_000,
      viewport: { width: 1280, height: 800 },
      args: flags,
    });
    context.setDefaultTimeout(pageWaitMs);
    context.setDefaultNavigationTimeout(pageWaitMs);
    const page = context.pages()[0] ?? await context.newPage();
    const owned = context;
    return { context, page, [Symbol.asyncDispose]: () => cleanup(owned) };
  } catch (error) {
    await cleanup(context);
    throw error;
  }
}

export async function signInWithToken(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("tab", { name: "Token" }).click();
  await page.locator("input[name=token]").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("[data-field=principal]").waitFor();
}

/**
 * A root test that drives Chromium against servers in namespaces it builds (`lab`, cleaned up whatever
 * happens). Without Chromium it is ignored, except under CI (CI=true), where a missing browser must fail.
 */
export function browserLabTest(definition: {
  name: string;
  tools?: string[];
  fn: (lab: Lab) => Promise<void>;
}): void {
  rootTest({
    name: definition.name,
    tools: definition.tools,
    ignore: !haveChromium && !Deno.env.get("CI"),
    fn: () => withLab(definition.fn),
  });
}
