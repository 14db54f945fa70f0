// An inventory file on a workstation: JSON with the fields of GloethInventoryInput (inventory.ts).
import { InputError } from "../../errors/input_error.ts";
import { type GloethInventory, type GloethInventoryInput, parseGloethInventory } from "./inventory.ts";

export async function readGloethInventoryFile(path: string): Promise<GloethInventory> {
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
  return parseGloethInventory(input as GloethInventoryInput);
}
