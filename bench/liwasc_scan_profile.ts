// Where a liwasc SYN scan of nmap's top 1000 ports × 50 hosts spends its time (issue 17), in the lab of
// liwasc_vs_nmap.ts: the liwasc binary asked by StartPortScan (wait) `passes` times after a warm-up,
// each pass timed, with the binary run under Deno's --cpu-prof (a .cpuprofile, summarised by self time)
// or `perf record -g` (JIT frames named through --perf-basic-prof), or neither. Root. Usage:
//   deno run --allow-all bench/liwasc_scan_profile.ts [none|cpuprof|perf] [passes] [outDir]
import { withLab } from "../tests/harness/mod.ts";
import { startLiwasc } from "../tests/liwasc/lab.ts";
import { curlPortScan, nmapTopPorts, portsOfList, startNmapLab } from "./compare/scan/lab.ts";

const [tool = "none", passesText = "5", outDir = "/tmp/liwasc-profile"] = Deno.args;
const passes = Number(passesText);
await Deno.mkdir(outDir, { recursive: true });

await withLab(async (lab) => {
  const nmapLab = await startNmapLab(lab, 50);
  const { scanner, hosts } = nmapLab.scanLab;
  const topList = await nmapTopPorts(nmapLab);
  const expected = [...nmapLab.expectedOpen(hosts, (port) => portsOfList(topList).has(port))].sort().join();
  const v8Flags = tool === "cpuprof"
    ? ["--cpu-prof", `--cpu-prof-dir=${outDir}`]
    : tool === "perf"
    ? ["--v8-flags=--perf-basic-prof"]
    : [];
  const liwasc = await startLiwasc(scanner, "scan0", { denoFlags: v8Flags });
  const ips = hosts.map((host) => host.ip);
  await curlPortScan(nmapLab, liwasc, ips, topList); // warm-up
  const perf = tool === "perf"
    ? new Deno.Command("perf", {
      args: ["record", "-g", "-o", `${outDir}/liwasc.perf.data`, "-p", String(liwasc.process.pid)],
      stdout: "null",
      stderr: "null",
    }).spawn()
    : undefined;
  const times: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    const open = await curlPortScan(nmapLab, liwasc, ips, topList);
    times.push((performance.now() - started) / 1000);
    const same = [...open].sort().join() === expected;
    console.log(
      `pass ${pass + 1}: ${times.at(-1)!.toFixed(3)} s, ${open.size} open${same ? "" : ", DIFFERENT"}`,
    );
  }
  if (perf) {
    perf.kill("SIGINT");
    await perf.status;
  }
  await liwasc[Symbol.asyncDispose]();
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `median ${sorted[sorted.length >> 1].toFixed(3)} s, range ${sorted[0].toFixed(3)}–${
      sorted.at(-1)!.toFixed(3)
    }`,
  );
  if (tool === "cpuprof") {
    for (const entry of Deno.readDirSync(outDir)) {
      if (entry.name.endsWith(".cpuprofile")) console.log(`profile: ${outDir}/${entry.name}`);
    }
  }
  if (tool === "perf") {
    const report = await new Deno.Command("perf", {
      args: [
        "report",
        "-i",
        `${outDir}/liwasc.perf.data`,
        "--no-children",
        "--stdio",
        "--percent-limit",
        "0.7",
      ],
      stdout: "piped",
      stderr: "null",
    }).output();
    await Deno.writeFile(`${outDir}/liwasc.perf.txt`, report.stdout);
    console.log(`perf report: ${outDir}/liwasc.perf.txt`);
  }
});
