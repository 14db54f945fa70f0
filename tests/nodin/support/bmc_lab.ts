/** A console namespace and a BMC namespace joined by a veth, for tests against real BMCs (pyghmi, ipmi_sim). */
import { type Lab, type Netns, waitFor } from "../../harness/mod.ts";

export const CONSOLE_ADDRESS = "10.77.0.1";
export const BMC_ADDRESS = "10.77.0.2";
export const FAKEBMC = "/usr/lib/python3/dist-packages/pyghmi/cmd/fakebmc.py";

export interface BmcLab {
  console: Netns;
  bmc: Netns;
}

/** A console namespace and a BMC namespace joined by a veth. */
export async function bmcLab(lab: Lab): Promise<BmcLab> {
  const console = await lab.netns({ ipv6: false });
  const bmc = await lab.netns({ ipv6: false });
  await lab.veth(console, "ipmic", bmc, "ipmib");
  await console.addAddress("ipmic", `${CONSOLE_ADDRESS}/24`);
  await bmc.addAddress("ipmib", `${BMC_ADDRESS}/24`);
  await console.up("ipmic");
  await bmc.up("ipmib");
  return { console, bmc };
}

/** Waits until something listens on UDP `port` in the BMC namespace. */
export async function listening(bmc: Netns, port: number, describe: () => string): Promise<void> {
  await waitFor(async () => (await bmc.run(["ss", "-Huln", `sport = :${port}`])).stdout.trim() !== "", {
    timeoutMs: 10_000,
    what: `a BMC on UDP ${port}`,
    describe,
  });
}
