/**
 * Defining and removing libvirt domains: the part of a node's life-cycle libvirt owns besides power
 * (the power itself is LibvirtDriver's). nodin creates a virtual node with define() and retires it with
 * remove(); the URI and credential are the ones of the node's BMC reference.
 */
import type { Credential } from "../driver.ts";
import { Virsh } from "./virsh.ts";

export class LibvirtDomains {
  readonly #virsh: Virsh;

  constructor(uri: string, credential?: Credential, timeoutMs = 15_000) {
    this.#virsh = new Virsh({ uri, timeoutMs, credential });
  }

  /** Defines (or redefines) a persistent domain from its XML; it stays off until powered on. */
  define(xml: string, signal?: AbortSignal): Promise<void> {
    return this.#virsh.define(xml, signal);
  }

  /** Names of the persistent and running domains. */
  async list(signal?: AbortSignal): Promise<string[]> {
    const result = await this.#virsh.run(["list", "--all", "--name"], signal);
    return result.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  }

  /** Powers the domain off if it runs, then removes its definition; a domain that is gone is fine. */
  async remove(name: string, signal?: AbortSignal): Promise<void> {
    if (!(await this.list(signal)).includes(name)) return;
    const state = (await this.#virsh.run(["domstate", name], signal)).stdout.trim();
    if (state !== "shut off") await this.#virsh.run(["destroy", name], signal);
    await this.#virsh.run(["undefine", name], signal);
  }
}
