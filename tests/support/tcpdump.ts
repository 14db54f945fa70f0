// tcpdump inside a test's namespace, writing a pcap the test reads back (tshark, or core/net's codecs).
import type { BackgroundProcess, Netns } from "../harness/mod.ts";
import { waitFor } from "../harness/wait.ts";

/**
 * Starts tcpdump on `iface` in `netns`, writing the frames `filter` selects (default: UDP, IPv4 and IPv6)
 * to `file`; resolves once it listens. -U and --immediate-mode write each packet at once, so a capture
 * stopped right after the traffic is complete; -s 0 keeps whole frames.
 */
export async function startCapture(
  netns: Netns,
  iface: string,
  file: string,
  filter = "udp",
): Promise<BackgroundProcess> {
  const tcpdump = netns.spawn([
    "tcpdump",
    "--immediate-mode",
    "-i",
    iface,
    "-n",
    "-U",
    "-s",
    "0",
    "-w",
    file,
    filter,
  ]);
  await waitFor(() => tcpdump.output().includes("listening on") || tcpdump.exited, {
    what: `tcpdump listening on ${iface}`,
    timeoutMs: 10_000,
    intervalMs: 50,
    describe: () => tcpdump.output(),
  });
  if (tcpdump.exited) throw new Error(`tcpdump on ${iface} exited:\n${tcpdump.output()}`);
  return tcpdump;
}

/** Wake-on-LAN as liwasc sends it: the EtherType 0x0842 frame and the UDP port 9 datagram. */
export const wakeOnLanFilter = "ether proto 0x0842 or udp port 9";
