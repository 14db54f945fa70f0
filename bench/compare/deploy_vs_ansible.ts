// The deployers' SSH executor (core/deploy/ssh) beside Ansible, Debian's ansible-core, on the same work:
// on each of 8 hosts, three files (an 8 MiB program 0755, a config 0644, a secret 0600) and one command
// that runs only when one of them changed. Timed twice per cycle: the first run changes everything, the
// second (the "nothing to do" run a deployer is run for most often) changes nothing. Ansible runs as its
// users tune it for speed: pipelining on, ssh ControlPersist, forks = hosts, no fact gathering (ours
// still gathers architecture and init on every host). The hosts are Debian's sshd in network namespaces
// of the lab (core/deploy/testing, plain sshd: no systemd needed here); both tools reach them through the
// same ProxyCommand into the lab namespace. Results are checked on disk for both tools.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { KnownHosts } from "../../core/deploy/ssh/known_hosts.ts";
import { type HostOutcome, runOnHosts } from "../../core/deploy/ssh/run_hosts.ts";
import { ensureFile, run } from "../../core/deploy/ssh/steps.ts";
import { HostLab, type LabHost } from "../../core/deploy/testing/host_lab.ts";
import { medianRange } from "./tftp/stats.ts";

const HOSTS = Number(Deno.env.get("CTPF_BENCH_DEPLOY_HOSTS") ?? 8);
const CYCLES = Number(Deno.env.get("CTPF_BENCH_DEPLOY_CYCLES") ?? 3);

interface Payload {
  name: string;
  mode: number;
  bytes: Uint8Array;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function payloads(): Payload[] {
  const program = new Uint8Array(8 << 20);
  for (let offset = 0; offset < program.length; offset += 65536) {
    crypto.getRandomValues(program.subarray(offset, offset + 65536));
  }
  const text = (value: string) => new TextEncoder().encode(value);
  return [
    { name: "program", mode: 0o755, bytes: program },
    { name: "config", mode: 0o644, bytes: text("listen = 0.0.0.0:8474\n") },
    { name: "secret", mode: 0o600, bytes: text(crypto.randomUUID() + "\n") },
  ];
}

async function ours(lab: HostLab, hosts: LabHost[], root: string, files: Payload[], knownHosts: KnownHosts) {
  const started = performance.now();
  const outcomes: HostOutcome<boolean>[] = await runOnHosts(
    hosts.map((host) => lab.spec(host)),
    async (target) => {
      const dir = join(root, target.name);
      let changed = false;
      for (const file of files) {
        const step = await ensureFile(target, join(dir, file.name), file.bytes, {
          mode: file.mode,
          secret: file.mode === 0o600,
        });
        changed ||= step.changed;
      }
      if (changed) await run(target, "record", `sha256sum ${dir}/program > ${dir}/applied`);
      return changed;
    },
    { knownHosts, requireSystemd: false, concurrency: hosts.length },
  );
  const ms = performance.now() - started;
  const failed = outcomes.find((outcome) => !outcome.ok);
  if (failed) throw new Error(`ours: ${failed.host}: ${failed.error?.message}`);
  return { ms, changedHosts: outcomes.filter((outcome) => outcome.value).length };
}

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: folder
      file: { path: "{{ dest }}", state: directory, mode: "0755" }
    - name: program
      copy: { src: "{{ source }}/program", dest: "{{ dest }}/program", mode: "0755" }
      notify: record
    - name: config
      copy: { src: "{{ source }}/config", dest: "{{ dest }}/config", mode: "0644" }
      notify: record
    - name: secret
      copy: { src: "{{ source }}/secret", dest: "{{ dest }}/secret", mode: "0600" }
      no_log: true
      notify: record
  handlers:
    - name: record
      shell: "sha256sum {{ dest }}/program > {{ dest }}/applied"
`;

class Ansible {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  static async prepare(lab: HostLab, hosts: LabHost[], dir: string, source: string, root: string) {
    const ansible = new Ansible(dir);
    for (const sub of ["home", "local", "remote", "cp"]) await Deno.mkdir(join(dir, sub));
    const sshArgs = [
      `-o ProxyCommand="${lab.proxyCommand}"`,
      `-o UserKnownHostsFile=${join(dir, "known_hosts")}`,
      "-o StrictHostKeyChecking=accept-new",
    ].join(" ");
    const lines = ["[all]"];
    for (const host of hosts) {
      lines.push(
        `${host.name} ansible_host=${host.address} ansible_user=root ` +
          `ansible_ssh_private_key_file=${lab.identityFile} dest=${join(root, host.name)}`,
      );
    }
    lines.push("", "[all:vars]", `source=${source}`, `ansible_ssh_common_args='${sshArgs}'`, "");
    await Deno.writeTextFile(join(dir, "inventory.ini"), lines.join("\n"));
    await Deno.writeTextFile(join(dir, "playbook.yml"), PLAYBOOK);
    return ansible;
  }

  async run(): Promise<{ ms: number; changedTasks: number }> {
    const started = performance.now();
    const output = await new Deno.Command("ansible-playbook", {
      args: ["-i", "inventory.ini", "playbook.yml"],
      cwd: this.dir,
      env: {
        // Everything Ansible writes, here and on the hosts (which share this machine's disk), stays in
        // the benchmark's folder.
        HOME: join(this.dir, "home"),
        ANSIBLE_HOME: join(this.dir, "home"),
        ANSIBLE_LOCAL_TEMP: join(this.dir, "local"),
        ANSIBLE_REMOTE_TEMP: join(this.dir, "remote"),
        ANSIBLE_SSH_CONTROL_PATH_DIR: join(this.dir, "cp"),
        ANSIBLE_PIPELINING: "True",
        ANSIBLE_FORKS: String(HOSTS),
        ANSIBLE_PYTHON_INTERPRETER: "/usr/bin/python3",
        ANSIBLE_RETRY_FILES_ENABLED: "False",
        ANSIBLE_NOCOLOR: "True",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const ms = performance.now() - started;
    const text = new TextDecoder().decode(output.stdout);
    if (!output.success) {
      throw new Error(
        `ansible-playbook failed:\n${text.slice(-3000)}${new TextDecoder().decode(output.stderr)}`,
      );
    }
    const changedTasks = [...text.matchAll(/changed=(\d+)/g)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
    return { ms, changedTasks };
  }

  /** Ends the ssh masters ControlPersist keeps (each by its control socket, so by its own PID). */
  async close(): Promise<void> {
    for await (const entry of Deno.readDir(join(this.dir, "cp"))) {
      await new Deno.Command("ssh", {
        args: ["-o", `ControlPath=${join(this.dir, "cp", entry.name)}`, "-O", "exit", "unused"],
        stdout: "null",
        stderr: "null",
      }).output();
    }
  }
}

async function assertApplied(
  root: string,
  hosts: LabHost[],
  files: Payload[],
  names: (p: Payload) => string,
) {
  for (const host of hosts) {
    for (const file of files) {
      const path = join(root, host.name, names(file));
      const bytes = await Deno.readFile(path);
      const mode = (await Deno.stat(path)).mode! & 0o777;
      if (sha256(bytes) !== sha256(file.bytes) || mode !== file.mode) {
        throw new Error(`${path}: wrong content or mode ${mode.toString(8)}`);
      }
    }
    await Deno.stat(join(root, host.name, "applied"));
  }
}

const work = await Deno.makeTempDir({ prefix: "ctpf-bench-deploy-" });
try {
  await using lab = await HostLab.start();
  const hosts: LabHost[] = [];
  for (let index = 0; index < HOSTS; index++) hosts.push(await lab.plainSshd(`h${index}`));
  const source = join(work, "source");
  await Deno.mkdir(source);
  const files = payloads();
  for (const file of files) await Deno.writeFile(join(source, file.name), file.bytes, { mode: file.mode });
  const knownHosts = new KnownHosts(join(work, "known_hosts"));
  const times: Record<string, number[]> = {};
  const record = (label: string, ms: number) => (times[label] ??= []).push(ms);
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    // Alternate who goes first, so neither always meets a warm page cache.
    for (const tool of cycle % 2 === 0 ? ["ours", "ansible"] : ["ansible", "ours"]) {
      const root = join(work, `${tool}-${cycle}`);
      await Deno.mkdir(root);
      if (tool === "ours") {
        const first = await ours(lab, hosts, root, files, knownHosts);
        const second = await ours(lab, hosts, root, files, knownHosts);
        if (first.changedHosts !== HOSTS || second.changedHosts !== 0) {
          throw new Error(`ours: changed hosts ${first.changedHosts} then ${second.changedHosts}`);
        }
        await assertApplied(root, hosts, files, (file) => file.name);
        record("ours, first run", first.ms);
        record("ours, second run", second.ms);
      } else {
        const dir = join(work, `ansible-state-${cycle}`);
        await Deno.mkdir(dir);
        const ansible = await Ansible.prepare(lab, hosts, dir, source, root);
        try {
          const first = await ansible.run();
          const second = await ansible.run();
          // The folder, three copies and the handler per host, then nothing.
          if (first.changedTasks !== 5 * HOSTS || second.changedTasks !== 0) {
            throw new Error(`ansible: changed tasks ${first.changedTasks} then ${second.changedTasks}`);
          }
          await assertApplied(root, hosts, files, (file) => file.name);
          record("ansible, first run", first.ms);
          record("ansible, second run", second.ms);
        } finally {
          await ansible.close();
        }
      }
    }
  }
  console.log(
    `${HOSTS} hosts, 3 files (8 MiB + 2 small) and one command each; ${CYCLES} cycles; ms, median [range]`,
  );
  console.log("| tool | first run (all changed) | second run (nothing changed) |");
  console.log("| --- | --- | --- |");
  for (const tool of ["ours", "ansible"]) {
    const label = tool === "ours"
      ? "CTPF SSH executor (ssh2)"
      : "ansible-playbook (pipelining, ControlPersist)";
    console.log(
      `| ${label} | ${medianRange(times[`${tool}, first run`], 0)} | ${
        medianRange(times[`${tool}, second run`], 0)
      } |`,
    );
  }
} finally {
  await Deno.remove(work, { recursive: true });
}
