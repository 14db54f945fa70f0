import { setLinkUp, setMtu } from "../../sys/mod.ts";
import { RelayPort, TapPort } from "./frame_port.ts";

export interface FramePortOptions {
  /** TAP device to create; empty: a relay that only forwards for other nodes. */
  tap: string;
  mtu: number;
  /** IPv4 address/prefix for the TAP device (empty: none). */
  address: string;
}

/** The node's local frame port: the TAP device, set up (MTU, up, address), or a relay without one. */
export async function openFramePort(options: FramePortOptions): Promise<TapPort | RelayPort> {
  if (!options.tap) return new RelayPort();
  const port = TapPort.open(options.tap);
  setMtu(port.tap.name, options.mtu);
  setLinkUp(port.tap.name, true);
  if (options.address) {
    // iproute2 sets the address: a netlink client of our own would be more code than it saves.
    const result = await new Deno.Command("ip", {
      args: ["addr", "add", options.address, "dev", port.tap.name],
    })
      .output();
    if (!result.success) {
      throw new Error(`ip addr add ${options.address}: ${new TextDecoder().decode(result.stderr)}`);
    }
  }
  return port;
}
