// An inventory file on a workstation: JSON with the fields of K3sInventoryInput (inventory.ts).
import { readInventoryObject } from "../inventory_file.ts";
import { type K3sInventory, type K3sInventoryInput, parseK3sInventory } from "./inventory.ts";

export async function readK3sInventoryFile(path: string): Promise<K3sInventory> {
  return parseK3sInventory(await readInventoryObject(path) as K3sInventoryInput);
}
