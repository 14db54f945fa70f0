// Issue 15's end-to-end acceptance: nodin powers a new machine on over IPMI with boot device PXE; it boots
// through necon + bofied; it appears as one enrolled node (MAC from the lease, architecture from the PXE
// request, seen by liwasc) with power on; nodin powers it off, and the node's history shows each
// transition. Real parts only: openipmi's ipmi_sim as the BMC (its own namespace), ctpf (nodin, necon,
// bofied, liwasc in one process) configured through its API with buf curl, and a diskless qemu (TCG)
// machine on a TAP whose only boot is its NIC's iPXE ROM and bofied's starter menu over TFTP.
//
// The ipmi_sim recipe for a BMC that really powers a machine and keeps boot flags (2.0.33, Debian 12;
// see also tests/nodin/ipmi_test.ts):
// - lan.conf names a `chassis_control "<program> <mc>"` for the MC (and no `serial 15`/`startcmd`: the
//   program takes over power). ipmi_sim runs it with popen and reads its stdout to the end, blocking
//   every other request meanwhile, so it must answer at once and anything it starts must not hold stdout:
//     <program> <mc> get power boot ...      → prints "power:1" / "boot:pxe" lines
//     <program> <mc> set power 1|0           (Chassis Control up/down; cycle is off, then on after 1 s)
//     <program> <mc> set boot pxe|default|none|cdrom|bios   (Set System Boot Options, parameter 5)
//     <program> <mc> set shutdown 1          (Chassis Control soft shutdown)
//     <program> <mc> set reset 1             (hard reset)
//   A non-zero exit is completion code 0xff to the client.
// - The program here (chassisScript) keeps the boot flag in a file, starts qemu on power on (with
//   the NIC's iPXE ROM and `-boot order=n` when the flag is pxe, else with no ROM: SeaBIOS tries every
//   ROM after the listed devices even with `strict=on`, so only a NIC without one cannot boot from the
//   network) in the lab namespace, on its TAP, records qemu's PID and stops it on power off by that PID
//   (checked to still be that qemu), never by name. Power is "on" while that PID is a live qemu (not a
//   zombie: the orphaned qemu is reaped by whoever adopts it).
// - The emu file ends with `mc_enable 0x20` (the LAN channel opens then).
// - Soft off: the diskless machine sits in iPXE, which has no ACPI handler, so "shutdown" is recorded and
//   ignored, as such a machine would; nodin's loop cuts power after --nodin-soft-off-seconds.
import { ipmiSimEmu, runningQemu } from "./support/ipmi_sim.ts";
import { type Netns, rootTest, waitFor, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch, assertStrictEquals } from "../support/assert.ts";
import { startBinary } from "../support/ctpf_process.ts";
import { starterMenuTitle } from "../../core/bofied/starter_menu.ts";
import { binaryIn, tapLan } from "../e2e/lan.ts";
import { requireFirmware } from "../e2e/machine.ts";
import { call, type InventoryNode, sourcesOf } from "./lab.ts";

const MAC = "52:54:00:e2:e0:15";
const CONSOLE_ADDRESS = "10.77.0.1";
const BMC_ADDRESS = "10.77.0.2";
const BMC_USER = "admin";
const BMC_PASSWORD = "e2e-s3cret";
const IPXE_ROM = "/usr/lib/ipxe/qemu/pxe-e1000.rom";

interface PoweredNode extends InventoryNode {
  observedPower: { state: string; evidence: string };
  desiredPower: { state: string };
  enrolledBy?: string;
  bmc?: { driver: string; address: string; credentialRef: string; hasCredential: boolean };
}

/** ipmi_sim's chassis_control program (see the recipe above); `dir` holds its files, `lan` the TAP. */
function chassisScript(dir: string, lan: string): string {
  return `#!/bin/sh
# ipmi_sim's chassis_control program for the e2e test: <program> <mc> get|set <parm> [<value>] ...
dir='${dir}'
echo "$*" >> "$dir/chassis.log"
shift
op=$1
shift
pid=$(cat "$dir/qemu.pid" 2>/dev/null)
running() {
  [ -n "$pid" ] || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)
  [ -n "$state" ] && [ "$state" != Z ] && grep -q qemu-system "/proc/$pid/cmdline" 2>/dev/null
}
power_on() {
  running && return 0
  # Boot flag pxe: the NIC carries its iPXE ROM; otherwise no ROM, so nothing can boot from the network.
  if [ "$(cat "$dir/boot" 2>/dev/null)" = pxe ]; then order=n rom=${IPXE_ROM}; else order=c rom=; fi
  ip netns exec '${lan}' qemu-system-x86_64 -machine pc,accel=tcg -m 128 -nographic -monitor none \\
    -serial "file:$dir/serial.log" -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \\
    -device "e1000,netdev=n0,mac=${MAC},romfile=$rom" -boot "order=$order" \\
    </dev/null >>"$dir/qemu.log" 2>&1 &
  pid=$!
  echo "$pid" > "$dir/qemu.pid"
  echo "started qemu $pid (boot order $order, NIC ROM \"$rom\")" >> "$dir/chassis.log"
}
power_off() {
  running || return 0
  kill "$pid"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    running || return 0
    sleep 0.1
  done
  kill -9 "$pid"
}
case $op in
get)
  for parm in "$@"; do
    case $parm in
    power) if running; then echo power:1; else echo power:0; fi ;;
    boot) echo "boot:$(cat "$dir/boot" 2>/dev/null || echo default)" ;;
    *) echo "cannot get $parm"; exit 1 ;;
    esac
  done
  ;;
set)
  while [ $# -ge 2 ]; do
    parm=$1
    value=$2
    shift 2
    case $parm in
    power) if [ "$value" = 1 ]; then power_on; else power_off; fi ;;
    boot) echo "$value" > "$dir/boot" ;;
    shutdown) echo "soft off asked: iPXE has no ACPI handler, ignored" >> "$dir/chassis.log" ;;
    reset) power_off; power_on ;;
    *) echo "cannot set $parm"; exit 1 ;;
    esac
  done
  ;;
*) echo "unknown operation $op"; exit 1 ;;
esac
exit 0
`;
}

function simConfig(script: string): { lanConf: string; emu: string } {
  const lanConf = `name "ctpf-e2e"
set_working_mc 0x20
  startlan 1
    addr ${BMC_ADDRESS} 623
    priv_limit admin
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcd15
  endlan
  chassis_control "${script} 0x20"
  user 2 true "${BMC_USER}" "${BMC_PASSWORD}" admin 10 none md2 md5 straight
`;
  return { lanConf, emu: ipmiSimEmu };
}

async function ipmitool(console: Netns, ...args: string[]): Promise<string> {
  const result = await console.run([
    "ipmitool",
    "-I",
    "lanplus",
    "-C",
    "3",
    "-H",
    BMC_ADDRESS,
    "-U",
    BMC_USER,
    "-P",
    BMC_PASSWORD,
    ...args,
  ], { timeoutMs: 20_000 });
  return result.stdout.trim();
}

rootTest({
  name:
    "nodin e2e: IPMI (ipmi_sim) powers a machine on with boot device PXE, it boots through necon + bofied, is one enrolled node, and powers off with every transition recorded",
  tools: ["ipmi_sim", "ipmitool", "qemu-system-x86_64", "ss"],
  async fn() {
    requireFirmware("bios");
    await withLab(async (lab) => {
      // The lab: the machine's TAP (10.66.0.1/24) and ctpf in one namespace, the BMC in its own, joined by
      // a veth (the management network: 10.77.0.1 ↔ 10.77.0.2).
      const lan = await tapLan(lab);
      const bmc = await lab.netns({ ipv6: false });
      await lab.veth(lan, "ipmic", bmc, "ipmib");
      await lan.addAddress("ipmic", `${CONSOLE_ADDRESS}/24`);
      await bmc.addAddress("ipmib", `${BMC_ADDRESS}/24`);
      await lan.up("ipmic");
      await bmc.up("ipmib");

      const dir = await Deno.makeTempDir({ prefix: "ctpf-nodin-e2e-" });
      try {
        const script = `${dir}/chassis.sh`;
        await Deno.writeTextFile(script, chassisScript(dir, lan.name), { mode: 0o755 });
        const { lanConf, emu } = simConfig(script);
        await Deno.writeTextFile(`${dir}/lan.conf`, lanConf);
        await Deno.writeTextFile(`${dir}/emu.cmd`, emu);
        await Deno.mkdir(`${dir}/state`);
        const sim = bmc.spawn(
          ["ipmi_sim", "-n", "-c", `${dir}/lan.conf`, "-f", `${dir}/emu.cmd`, "-s", `${dir}/state`],
        );
        const chassisLog = () => Deno.readTextFile(`${dir}/chassis.log`).catch(() => "");
        const serial = () => Deno.readTextFile(`${dir}/serial.log`).catch(() => "");
        await waitFor(async () => (await bmc.run(["ss", "-Huln", "sport = :623"])).stdout.trim() !== "", {
          timeoutMs: 10_000,
          what: "ipmi_sim on UDP 623",
          describe: () => sim.output(),
        });
        assertStrictEquals(await ipmitool(lan, "power", "status"), "Chassis Power is off");

        try {
          await using ctpf = await startBinary({
            command: binaryIn(lan, "ctpf.ts"),
            args: ["--log-level", "debug", "--nodin-poll-seconds", "1", "--nodin-soft-off-seconds", "3"],
          });
          const api = (service: string, method: string, body: unknown = {}) =>
            call({ server: lan }, ctpf, service, method, body);
          const context = async () =>
            `chassis.log:\n${await chassisLog()}\nserial:\n${(await serial()).slice(-2000)}\n` +
            `ipmi_sim:\n${sim.output().slice(-2000)}\nctpf:\n${ctpf.output().slice(-4000)}`;
          const getNode = async (id: string): Promise<PoweredNode> =>
            (await api("NodinService", "GetInventoryNode", { id })).node;

          // Configured through the API only: necon serves the TAP's subnet, bofied TFTP on the TAP (its
          // starter tree: iPXE gets menu.ipxe), liwasc may scan the TAP.
          const subnet = await api("NeconService", "PutSubnet", {
            subnet: { cidr: "10.66.0.0/24", pools: [{ start: "10.66.0.100", end: "10.66.0.150" }] },
          });
          assert(!subnet.error, JSON.stringify(subnet));
          const served = await api("NeconService", "SetInterfaces", { interfaces: ["tap0"] });
          assertEquals(served.config?.interfaces, ["tap0"], JSON.stringify(served));
          const boot = await api("BofiedService", "SetBootSettings", { settings: { tftpInterface: "tap0" } });
          assertEquals(boot.state?.tftpPort, 69, JSON.stringify(boot));
          const { settings } = await api("LiwascService", "GetSettings");
          const scanning = await api("LiwascService", "SetSettings", {
            settings: { ...settings, scanInterfaces: ["tap0"] },
          });
          assertEquals(scanning.settings?.scanInterfaces, ["tap0"], JSON.stringify(scanning));

          // The new machine: its MAC (from the delivery note) and its BMC, with a write-only credential.
          const created = await api("NodinService", "CreateNode", {
            node: {
              name: "e2e-machine",
              macs: [MAC],
              lifecycle: "discovered",
              bmc: {
                driver: "ipmi",
                address: `${BMC_ADDRESS}:623`,
                options: { timeoutMs: "3000" },
                credential: { username: BMC_USER, password: BMC_PASSWORD },
              },
            },
          });
          const id: string = created.node?.id;
          assert(id, JSON.stringify(created));
          assertEquals(created.node.bmc.hasCredential, true);
          assert(!JSON.stringify(created).includes(BMC_PASSWORD), "the credential is never returned");
          const credentialFile = `${ctpf.dataDir}/nodin/credentials/${created.node.bmc.credentialRef}.json`;
          assertStrictEquals((await Deno.stat(credentialFile)).mode! & 0o777, 0o600);

          const observed = (state: string, timeoutMs: number) =>
            waitFor(async () => {
              const node = await getNode(id);
              return node.observedPower.state === state && node;
            }, { timeoutMs, intervalMs: 250, what: `observed power ${state}`, describe: context });
          await observed("off", 15_000);

          // Boot device PXE through the BMC, then power on: the chassis program starts qemu to boot PXE.
          assert(!/Force PXE/.test(await ipmitool(lan, "chassis", "bootparam", "get", "5")), "not PXE yet");
          const bootDevice = await api("NodinService", "SetBootDevice", { id, device: "pxe" });
          assert(!bootDevice.error, JSON.stringify(bootDevice));
          assertMatch(await chassisLog(), /^0x20 set boot pxe$/m);
          assertMatch(await ipmitool(lan, "chassis", "bootparam", "get", "5"), /Force PXE/);
          const poweringOn = Date.now();
          const asked = await api("NodinService", "SetPower", { id, action: "on" });
          assertEquals(asked.node?.desiredPower?.state, "on", JSON.stringify(asked));
          const on = await observed("on", 30_000);
          assertMatch(on.observedPower.evidence, /IPMI Get Chassis Status from 10\.77\.0\.2:623: power on/);
          const qemu = await runningQemu(dir);
          assert(qemu, `qemu runs: ${await context()}`);
          assertMatch(
            await Deno.readTextFile(`/proc/${qemu}/cmdline`),
            /romfile=\/usr\/lib\/ipxe\/qemu\/pxe-e1000\.rom/,
          );
          const poweredOnMs = Date.now() - poweringOn;

          // It boots through necon (lease) and bofied (PXE answer, menu.ipxe over TFTP) to the menu.
          await waitFor(async () => (await serial()).includes(starterMenuTitle), {
            timeoutMs: 120_000,
            intervalMs: 500,
            what: "bofied's starter menu on the machine's serial console",
            describe: context,
          });
          const bootedMs = Date.now() - poweringOn;
          assertMatch(ctpf.output(), new RegExp(`msg=ack .*mac=${MAC}`));
          assertMatch(
            ctpf.output(),
            new RegExp(`msg="pxe answer" mac=${MAC} answer="boot menu\\.ipxe" .*arch=0`),
          );
          const metrics = await lan.run(
            ["curl", "-sf", "-H", `Authorization: Bearer ${ctpf.adminToken}`, `${ctpf.url}/metrics`],
            { timeoutMs: 10_000 },
          );
          assertMatch(metrics.stdout, /^ctpf_bofied_tftp_transfers_total\{result="completed"[^}]*\} [1-9]/m);
          const booted = await waitFor(async () => {
            const node = await getNode(id);
            return sourcesOf(node) === "api,bofied,necon" && (node.addresses?.length ?? 0) > 0 && node;
          }, {
            timeoutMs: 20_000,
            intervalMs: 250,
            what: "the lease and PXE request on the node",
            describe: context,
          });
          assertMatch(booted.addresses![0], /^10\.66\.0\.1\d\d$/);
          // PXE architecture type 0 (x86 BIOS); proto3 JSON leaves a zero out.
          assertEquals([booted.architecture, booted.firmware, booted.pxeArch ?? 0], ["x86", "bios", 0]);

          // liwasc, asked over the API, sees it answer ARP (iPXE answers while it shows the menu). On a
          // loaded machine qemu's emulated iPXE can answer after a scan's rounds are over (CI saw it), so a
          // scan that finished without the node is started again, as a user of arp-scan would.
          const scanIds: string[] = [];
          const startScan = async () => {
            const scan = await api("LiwascService", "StartNodeScan", { interface: "tap0" });
            assert(scan.scan?.id, JSON.stringify(scan));
            scanIds.push(scan.scan.id);
          };
          const scanFinished = async () => {
            const { scans } = await api("LiwascService", "ListScans");
            const last = (scans ?? []).find((scan: { id: string }) => scan.id === scanIds.at(-1));
            return last !== undefined && last.state !== "SCAN_STATE_RUNNING";
          };
          await startScan();
          await waitFor(async () => {
            if (sourcesOf(await getNode(id)) === "api,bofied,liwasc,necon") return true;
            if (scanIds.length < 4 && await scanFinished()) await startScan();
            return false;
          }, {
            timeoutMs: 40_000,
            intervalMs: 250,
            what: "liwasc's scan on the node",
            describe: async () =>
              `scans: ${JSON.stringify((await api("LiwascService", "ListScans")).scans)}\n${await context()}`,
          });
          console.log(`liwasc saw the machine after ${scanIds.length} node scan(s)`);

          // An enrolment rule by qemu's MAC prefix enrols it: still one node, the one nodin powered on.
          const { rule } = await api("NodinService", "PutEnrolmentRule", {
            rule: {
              name: "qemu machines",
              enabled: true,
              macPrefixes: ["52:54:00"],
              setLabels: { rack: "e2e" },
            },
          });
          assert(rule?.id, "rule stored");
          const { nodes } = await api("NodinService", "ListInventory");
          assertEquals(nodes.length, 1, JSON.stringify(nodes, null, 1));
          const enrolled: PoweredNode = nodes[0];
          assertEquals(
            [enrolled.id, enrolled.macs, enrolled.lifecycle, enrolled.enrolledBy, enrolled.labels],
            [id, [MAC], "enrolled", rule.id, { rack: "e2e" }],
          );
          assertEquals([enrolled.observedPower.state, enrolled.addresses![0]], ["on", booted.addresses![0]]);

          // Off, soft first: iPXE ignores it, so after 3 s nodin cuts the power; qemu is gone.
          const poweringOff = Date.now();
          await api("NodinService", "SetPower", { id, action: "soft-off" });
          const off = await observed("off", 30_000);
          const poweredOffMs = Date.now() - poweringOff;
          assertMatch(off.observedPower.evidence, /IPMI Get Chassis Status from 10\.77\.0\.2:623: power off/);
          assertStrictEquals(await runningQemu(dir), undefined);
          assertMatch(await chassisLog(), /set shutdown 1\n(.*\n)*.*set power 0/);
          assertStrictEquals(await ipmitool(lan, "power", "status"), "Chassis Power is off");

          // The history, oldest first: each observed transition in order, each with its evidence.
          const { entries } = await api("NodinService", "ListNodeHistory", { id, limit: 500 });
          const lines = (entries as { kind: string; message: string }[]).toReversed();
          const transitions = lines.filter((e) => e.kind === "power" && / → /.test(e.message))
            .map((e) => /^(\S+) → (\S+): (.+)$/.exec(e.message));
          assert(transitions.every(Boolean), JSON.stringify(lines, null, 1));
          assertEquals(transitions.map((m) => `${m![1]} → ${m![2]}`), [
            "unknown → off",
            "off → powering-on",
            "powering-on → on",
            "on → powering-off",
            "powering-off → off",
          ]);
          const evidence = transitions.map((m) => m![3]);
          assertMatch(evidence[0], /IPMI Get Chassis Status .* power off/);
          assertMatch(evidence[1], /ipmi: on asked/);
          assertMatch(evidence[2], /IPMI Get Chassis Status .* power on/);
          assertMatch(evidence[3], /ipmi: soft-off asked; power cut after 3 s/);
          assertMatch(evidence[4], /IPMI Get Chassis Status .* power off/);
          const messages = lines.map((e) => e.message).join("\n");
          assertMatch(messages, /boot device pxe \(next boot\) set by/);
          assertMatch(messages, /soft off not done after \d+(\.\d)? s: cutting power/);
          assertMatch(messages, /discovered → enrolled by rule "qemu machines"/);
          console.log(
            `powered on (observed) in ${poweredOnMs} ms, starter menu after ${bootedMs} ms, ` +
              `powered off (soft, then cut) in ${poweredOffMs} ms`,
          );
        } finally {
          // Whatever happened, the machine stops: by the PID the chassis program recorded.
          const left = await runningQemu(dir);
          if (left) Deno.kill(left, "SIGKILL");
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
});
