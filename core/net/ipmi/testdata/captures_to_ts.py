# Turns the pcaps capture.sh wrote into captures.ts (UDP payloads to and from ports 623/624).
import struct, sys, textwrap
def dgrams(path):
    data = open(path, 'rb').read(); off = 24; out = []
    while off + 16 <= len(data):
        caplen = struct.unpack('<I', data[off+8:off+12])[0]; off += 16
        frame = data[off:off+caplen]; off += caplen
        ip = frame[14:]; ihl = (ip[0] & 15) * 4; udp = ip[ihl:]
        sport, dport, ulen = struct.unpack('>HHH', udp[:6])
        out.append(('console' if dport in (623, 624) else 'bmc', udp[8:ulen].hex()))
    return out
specs = [
 ('PYGHMI_IPMITOOL_STATUS', 'pyghmi-c3-status.pcap', '`ipmitool -I lanplus -C 3 -U admin -P password power status` against python3-pyghmi\'s fakebmc'),
 ('SIM_IPMITOOL_STATUS', 'sim-c3-status.pcap', '`ipmitool -I lanplus -C 3 -U admin -P s3cret power status` against openipmi\'s ipmi_sim'),
 ('PYGHMI_IPMIPOWER_STAT', 'pyghmi-ipmipower.pcap', 'freeipmi `ipmipower -D LAN_2_0 -u admin -p password --stat` against pyghmi\'s fakebmc'),
 ('SIM_WRONG_PASSWORD', 'sim-c3-wrongpw.pcap', '`ipmitool ... -U admin -P wrong` against ipmi_sim, whose admin password is s3cret: RAKP 2 carries an HMAC keyed with s3cret'),
 ('SIM_UNKNOWN_USER', 'sim-c3-nouser.pcap', '`ipmitool ... -U nobody -P wrong` against ipmi_sim: RAKP 2 says "unauthorized name" (0x0d)'),
]
print('''// RMCP+ exchanges captured with tcpdump on a veth between two throwaway network namespaces (capture.sh
// beside this file), UDP payloads only, in order. "console" is the client, "bmc" the simulator. Passwords
// are the ones the simulators were configured with, so the tests can recompute every key and auth code.

import { hex } from "../../testdata/captures.ts";

export interface CapturedDatagram {
  from: "console" | "bmc";
  bytes: Uint8Array<ArrayBuffer>;
}

function exchange(...lines: [CapturedDatagram["from"], string][]): CapturedDatagram[] {
  return lines.map(([from, text]) => ({ from, bytes: hex(text) }));
}
''')
for name, path, doc in specs:
    print(f'// {doc}.')
    print(f'export const {name} = exchange(')
    for who, h in dgrams(path):
        chunks = textwrap.wrap(h, 96)
        if len(chunks) == 1:
            print(f'  ["{who}", "{h}"],')
        else:
            print(f'  [\n    "{who}",\n    ' + ' +\n      '.join(f'"{c}"' for c in chunks) + ',\n  ],')
    print(');\n')
