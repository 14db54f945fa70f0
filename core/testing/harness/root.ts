// Tests that need root (namespaces, TAPs, raw sockets) say so in their name and are skipped, not
// failed, when run unprivileged.

export const ROOT_TAG = "[root]";

/** Debian packages providing the tools integration tests call, for a helpful "missing tool" error. */
const PACKAGE_OF: Record<string, string> = {
  ip: "iproute2",
  ping: "iputils-ping",
  socat: "socat",
  tcpdump: "tcpdump",
};

export function isRoot(): boolean {
  return Deno.uid() === 0;
}

/**
 * For plain Deno.test definitions: `Deno.test({ name: "[root] …", ...requireRoot(), fn })` skips the
 * test unless running as root. rootTest() does this and the naming for you.
 */
export function requireRoot(): { ignore: boolean } {
  return { ignore: !isRoot() };
}

/** Throws, naming the Debian package, when a command-line tool is not on PATH. */
export async function requireTools(...tools: string[]): Promise<void> {
  for (const tool of tools) {
    const found = await new Deno.Command("sh", {
      args: ["-c", `command -v "$1"`, "sh", tool],
      stdout: "null",
    })
      .output();
    if (!found.success) {
      const pkg = PACKAGE_OF[tool];
      throw new Error(`test needs \`${tool}\`${pkg ? ` (apt-get install ${pkg})` : ""}`);
    }
  }
}

export interface RootTestDefinition extends Omit<Deno.TestDefinition, "name" | "fn"> {
  name: string;
  /** Command-line tools the test runs; checked before it starts. */
  tools?: string[];
  fn: (t: Deno.TestContext) => void | Promise<void>;
}

/** Registers a Deno test named "[root] …" that is ignored unless running as root. */
export function rootTest(definition: RootTestDefinition): void;
export function rootTest(name: string, fn: (t: Deno.TestContext) => void | Promise<void>): void;
export function rootTest(
  nameOrDefinition: string | RootTestDefinition,
  maybeFn?: (t: Deno.TestContext) => void | Promise<void>,
): void {
  const definition: RootTestDefinition = typeof nameOrDefinition === "string"
    ? { name: nameOrDefinition, fn: maybeFn! }
    : nameOrDefinition;
  const { tools = [], fn, name, ignore, ...rest } = definition;
  Deno.test({
    ...rest,
    name: `${ROOT_TAG} ${name}`,
    ignore: ignore || !isRoot(),
    fn: async (t) => {
      await requireTools("ip", ...tools);
      await fn(t);
    },
  });
}
