import { InputError } from "../errors/input_error.ts";

/**
 * A deployer's inventory file on a workstation: one JSON object, read and parsed here; the deployer's own
 * parser checks its fields. Unreadable, non-JSON and non-object files are input errors naming the file.
 */
export async function readInventoryObject(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new InputError("inventory", `${path} cannot be read: ${(error as Error).message}`, "not-found");
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new InputError("inventory", `${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InputError("inventory", `${path} must hold one JSON object`);
  }
  return input as Record<string, unknown>;
}
