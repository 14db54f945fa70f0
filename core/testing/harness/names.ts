// Names of everything a test creates carry the test process's PID, so parallel test runs never clash
// and leftovers of a killed run can be told apart from live ones (see sweepStaleNetns).

export const LAB_PREFIX = "ctpf-t-";

// `deno test --parallel` runs test files in workers of one process: the PID alone is shared, so each
// module instance (one per worker) adds its own random tag.
const moduleTag = crypto.getRandomValues(new Uint16Array(1))[0].toString(16).padStart(4, "0");
let counter = 0;

/** "ctpf-t-<pid>-<tag>-<n>": unique within this process, recognisable as a CTPF test resource. */
export function uniqueName(): string {
  counter++;
  return `${LAB_PREFIX}${Deno.pid}-${moduleTag}-${counter}`;
}

/** The PID embedded in a name made by uniqueName(), or undefined for other names. */
export function ownerPid(name: string): number | undefined {
  const match = new RegExp(`^${LAB_PREFIX}(\\d+)-[0-9a-f]{4}-\\d+$`).exec(name);
  return match === null ? undefined : Number(match[1]);
}

/** Interface names are limited to 15 bytes by the kernel; fail early with the name in the message. */
export function checkInterfaceName(name: string): string {
  if (name.length === 0 || name.length > 15 || /[\s/:]/.test(name)) {
    throw new RangeError(`invalid interface name ${JSON.stringify(name)} (1-15 chars, no space, / or :)`);
  }
  return name;
}
