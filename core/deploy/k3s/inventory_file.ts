// An inventory file on a workstation: JSON with the fields of K3sInventoryInput (inventory.ts).
import { InputError } from "../../errors/input_error.ts";
import { type K3sInventory, type K3sInventoryInput, parseK3sInventory } from "./inventory.ts";

export async function readK3sInventoryFile(path: string): Promise<K3sInventory> {
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
  return parseK3sInventory(input as K3sInventoryInput);
}
