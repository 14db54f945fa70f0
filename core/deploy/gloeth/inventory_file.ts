// An inventory file on a workstation: JSON with the fields of GloethInventoryInput (inventory.ts).
import { readInventoryObject } from "../inventory_file.ts";
import { type GloethInventory, type GloethInventoryInput, parseGloethInventory } from "./inventory.ts";

export async function readGloethInventoryFile(path: string): Promise<GloethInventory> {
  return parseGloethInventory(await readInventoryObject(path) as GloethInventoryInput);
}
