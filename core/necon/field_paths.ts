import { ConfigInvalid } from "./config.ts";

/**
 * Runs `change` and, if it refuses the configuration, names the violations under `from` (where the change
 * put the caller's object in the whole configuration: "subnets[2]") as `to` (where the caller sent it:
 * "subnet"), so a form finds each reason under the name of its own input. Other paths stay as they are.
 */
export async function renamingViolations<T>(from: string, to: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (!(error instanceof ConfigInvalid)) throw error;
    throw new ConfigInvalid(
      error.errors.map(({ field, message }) => ({ field: renamed(field, from, to), message })),
    );
  }
}

function renamed(field: string, from: string, to: string): string {
  if (field === from) return to;
  if (field.startsWith(`${from}.`) || field.startsWith(`${from}[`)) return to + field.slice(from.length);
  return field;
}
