import { assert, assertEquals } from "../../testing/assert.ts";
import { parseK3sInventory } from "./inventory.ts";
import { buildK3sPlan } from "./plan.ts";
import type { K3sHostPlan, K3sPlan, PlannedFile } from "./plan_types.ts";
import { highlyAvailable, oneServer, TOKEN_FILE } from "./testing.ts";

function host(plan: K3sPlan, name: string): K3sHostPlan {
  const found = plan.hosts.find((candidate) => candidate.host === name);
  assert(found, `no plan for ${name}`);
  return found;
}

function configText(plan: K3sHostPlan): string {
  const file = plan.files.find((candidate) => candidate.path === "/etc/rancher/k3s/config.yaml");
  assert(file && file.content.kind === "text", "config.yaml is planned as text");
  return file.content.text;
}

const HEADER = (role: string, name: string) => [
  `# k3s ${role} ${name} of cluster lab, written by k3sdeployer: changes here are undone`,
  "# by its next run. The cluster token is in the token-file, never here.",
];

const TOKEN: PlannedFile = {
  path: "/etc/rancher/k3s/cluster-token",
  mode: 0o600,
  secret: true,
  content: { kind: "secret-file", path: TOKEN_FILE },
};

Deno.test("k3s plan: one server initialises the cluster over its overlay address", () => {
  const plan = buildK3sPlan(parseK3sInventory(oneServer()));
  assertEquals(plan.stages, [["s1"]]);
  assertEquals(plan.tokenFile, TOKEN_FILE);
  assertEquals(plan.kubeconfig, {
    host: "s1",
    path: "/etc/rancher/k3s/k3s.yaml",
    server: "https://10.200.0.1:6443",
    name: "lab",
  });
  const s1 = host(plan, "s1");
  assertEquals([s1.role, s1.first, s1.arch], ["server", true, "x86_64"]);
  assertEquals(s1.invocation, [
    "/usr/local/bin/k3s",
    "server",
    "--cluster-init",
    "--token-file",
    "/etc/rancher/k3s/cluster-token",
    "--node-name",
    "s1",
    "--node-ip",
    "10.200.0.1",
    "--flannel-iface",
    "gloeth0",
    "--advertise-address",
    "10.200.0.1",
  ]);
  assertEquals(s1.files.map((file) => file.path), [
    "/usr/local/bin/k3s",
    "/etc/rancher/k3s/cluster-token",
    "/etc/rancher/k3s/config.yaml",
  ]);
  assertEquals(s1.files[0], {
    path: "/usr/local/bin/k3s",
    mode: 0o755,
    secret: false,
    content: {
      kind: "download",
      url: "https://github.com/k3s-io/k3s/releases/download/v1.31.4%2Bk3s1/k3s",
      checksumsUrl: "https://github.com/k3s-io/k3s/releases/download/v1.31.4%2Bk3s1/sha256sum-amd64.txt",
      checksumName: "k3s",
    },
  });
  assertEquals(s1.files[1], TOKEN);
  assertEquals(s1.files[2].mode, 0o600);
  assertEquals(
    configText(s1),
    [
      ...HEADER("server", "s1"),
      "cluster-init: true",
      'token-file: "/etc/rancher/k3s/cluster-token"',
      'node-name: "s1"',
      'node-ip: "10.200.0.1"',
      'flannel-iface: "gloeth0"',
      'advertise-address: "10.200.0.1"',
      "",
    ].join("\n"),
  );
  assertEquals(s1.unit.name, "k3s.service");
  assertEquals(s1.unit.path, "/etc/systemd/system/k3s.service");
  assertEquals(
    s1.unit.text,
    [
      "# k3s server of cluster lab, written by k3sdeployer.",
      "# Options: /etc/rancher/k3s/config.yaml (the token is in the file it names).",
      "[Unit]",
      "Description=k3s server (cluster lab)",
      "Documentation=https://docs.k3s.io",
      "Wants=network-online.target gloeth.service",
      "After=network-online.target gloeth.service",
      "",
      "[Service]",
      "Type=notify",
      "KillMode=process",
      "Delegate=yes",
      "LimitNOFILE=1048576",
      "LimitNPROC=infinity",
      "LimitCORE=infinity",
      "TasksMax=infinity",
      "TimeoutStartSec=0",
      "Restart=always",
      "RestartSec=5s",
      "ExecStartPre=-/sbin/modprobe br_netfilter",
      "ExecStartPre=-/sbin/modprobe overlay",
      "ExecStart=/usr/local/bin/k3s server",
      "",
      "[Install]",
      "WantedBy=multi-user.target",
      "",
    ].join("\n"),
  );
  assertEquals(s1.activate, [
    { argv: ["systemctl", "daemon-reload"], when: "unit-changed" },
    {
      argv: ["systemctl", "enable", "k3s.service"],
      when: "always",
      unless: ["systemctl", "is-enabled", "--quiet", "k3s.service"],
    },
    { argv: ["systemctl", "restart", "k3s.service"], when: "any-changed" },
    {
      argv: ["systemctl", "start", "k3s.service"],
      when: "none-changed",
      unless: ["systemctl", "is-active", "--quiet", "k3s.service"],
    },
  ]);
  assertEquals(s1.versionCheck, {
    argv: ["/usr/local/bin/k3s", "--version"],
    expect: "k3s version v1.31.4+k3s1",
  });
});

Deno.test("k3s plan: three servers (embedded etcd) and two agents join the first over the mesh", () => {
  const plan = buildK3sPlan(parseK3sInventory(highlyAvailable({ serverArgs: ["--disable=traefik"] })));
  assertEquals(plan.stages, [["s1"], ["s2"], ["s3"], ["a1", "a2"]]);
  assertEquals(
    plan.hosts.map((node) => [node.host, node.role, node.first, node.unit.name]),
    [
      ["s1", "server", true, "k3s.service"],
      ["s2", "server", false, "k3s.service"],
      ["s3", "server", false, "k3s.service"],
      ["a1", "agent", false, "k3s-agent.service"],
      ["a2", "agent", false, "k3s-agent.service"],
    ],
  );
  const tlsSans = ["--tls-san", "k3s.lab.example", "--tls-san", "192.0.2.10"];
  const common = (name: string, address: string, iface = "gloeth0") => [
    "--token-file",
    "/etc/rancher/k3s/cluster-token",
    "--node-name",
    name,
    "--node-ip",
    address,
    "--flannel-iface",
    iface,
  ];
  const join = ["--server", "https://10.200.0.1:6443"];
  assertEquals(Object.fromEntries(plan.hosts.map((node) => [node.host, node.invocation.slice(1)])), {
    s1: [
      "server",
      "--cluster-init",
      ...common("s1", "10.200.0.1"),
      "--advertise-address",
      "10.200.0.1",
      ...tlsSans,
      "--disable",
      "traefik",
    ],
    s2: [
      "server",
      ...join,
      ...common("s2", "10.200.0.2"),
      "--advertise-address",
      "10.200.0.2",
      ...tlsSans,
      "--disable",
      "traefik",
    ],
    s3: [
      "server",
      ...join,
      ...common("s3", "10.200.0.3", "mesh0"),
      "--advertise-address",
      "10.200.0.3",
      ...tlsSans,
      "--disable",
      "traefik",
    ],
    a1: ["agent", ...join, ...common("a1", "10.200.0.11")],
    a2: ["agent", ...join, ...common("a2", "10.200.0.12")],
  });
  assertEquals(
    configText(host(plan, "s3")),
    [
      ...HEADER("server", "s3"),
      'server: "https://10.200.0.1:6443"',
      'token-file: "/etc/rancher/k3s/cluster-token"',
      'node-name: "s3"',
      'node-ip: "10.200.0.3"',
      'flannel-iface: "mesh0"',
      'advertise-address: "10.200.0.3"',
      "tls-san:",
      '  - "k3s.lab.example"',
      '  - "192.0.2.10"',
      'disable: "traefik"',
      "",
    ].join("\n"),
  );
  assertEquals(
    configText(host(plan, "a2")),
    [
      ...HEADER("agent", "a2"),
      'server: "https://10.200.0.1:6443"',
      'token-file: "/etc/rancher/k3s/cluster-token"',
      'node-name: "a2"',
      'node-ip: "10.200.0.12"',
      'flannel-iface: "gloeth0"',
      "",
    ].join("\n"),
  );
  const a2 = host(plan, "a2");
  assertEquals(a2.files[0].content, {
    kind: "download",
    url: "https://github.com/k3s-io/k3s/releases/download/v1.31.4%2Bk3s1/k3s-arm64",
    checksumsUrl: "https://github.com/k3s-io/k3s/releases/download/v1.31.4%2Bk3s1/sha256sum-arm64.txt",
    checksumName: "k3s-arm64",
  });
  assert(a2.unit.text.includes("\nType=exec\n"), "an agent's unit does not wait for a readiness message");
  assert(a2.unit.text.includes("\nExecStart=/usr/local/bin/k3s agent\n"));
  assertEquals(a2.activate[2], { argv: ["systemctl", "restart", "k3s-agent.service"], when: "any-changed" });
  // Every node gets the same token file, from the same controller file.
  for (const node of plan.hosts) assertEquals(node.files.find((file) => file.secret), TOKEN);
});

Deno.test("k3s plan: the token is never on a command line, in a unit or in the plan", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const token = "k3s-secret-token-8f1e2d";
    await Deno.writeTextFile(`${dir}/token`, token + "\n", { mode: 0o600 });
    const plan = buildK3sPlan(parseK3sInventory(highlyAvailable({ tokenFile: `${dir}/token` })));
    assert(!JSON.stringify(plan).includes(token), "the plan holds no token");
    for (const node of plan.hosts) {
      assert(!/--token(?!-file)/.test(node.invocation.join(" ")), `${node.host}: no --token flag`);
      assert(!/token/i.test(node.unit.text.replace("the token is in the file it names", "")));
      assert(!node.unit.text.includes("K3S_"), `${node.host}: no K3S_ variables in the unit`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("k3s plan: air-gapped, each host gets its architecture's artifacts and nothing is downloaded", () => {
  const airgap = {
    x86_64: { binary: "/srv/k3s/amd64/k3s", images: "/srv/k3s/amd64/k3s-airgap-images-amd64.tar.zst" },
    aarch64: { binary: "/srv/k3s/arm64/k3s-arm64", images: "/srv/k3s/arm64/images.tar" },
  };
  const plan = buildK3sPlan(parseK3sInventory(highlyAvailable({ airgap, version: undefined })));
  assertEquals(host(plan, "s1").files.slice(0, 2), [
    {
      path: "/usr/local/bin/k3s",
      mode: 0o755,
      secret: false,
      content: { kind: "controller-file", path: "/srv/k3s/amd64/k3s" },
    },
    {
      path: "/var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst",
      mode: 0o644,
      secret: false,
      content: { kind: "controller-file", path: "/srv/k3s/amd64/k3s-airgap-images-amd64.tar.zst" },
    },
  ]);
  assertEquals(host(plan, "a2").files.slice(0, 2).map((file) => [file.path, file.content]), [
    ["/usr/local/bin/k3s", { kind: "controller-file", path: "/srv/k3s/arm64/k3s-arm64" }],
    [
      "/var/lib/rancher/k3s/agent/images/k3s-airgap-images-arm64.tar",
      { kind: "controller-file", path: "/srv/k3s/arm64/images.tar" },
    ],
  ]);
  const text = JSON.stringify(plan);
  assert(!text.includes('"download"') && !text.includes("github.com"), "no network fetch is planned");
  for (const node of plan.hosts) assertEquals(node.versionCheck, undefined);
  // With a version given, the artifacts are checked to be that version once installed.
  const pinned = buildK3sPlan(parseK3sInventory(highlyAvailable({ airgap })));
  assertEquals(host(pinned, "s2").versionCheck?.expect, "k3s version v1.31.4+k3s1");
  assert(!JSON.stringify(pinned).includes("github.com"));
});

Deno.test("k3s plan: an upgrade changes the binary only and keeps the same token file", () => {
  const before = buildK3sPlan(parseK3sInventory(highlyAvailable()));
  const after = buildK3sPlan(parseK3sInventory(highlyAvailable({ version: "v1.32.1+k3s1" })));
  assertEquals(after.tokenFile, before.tokenFile);
  const withoutBinary = (plan: K3sPlan) =>
    plan.hosts.map((node) => ({
      ...node,
      files: node.files.filter((file) => file.path !== "/usr/local/bin/k3s"),
      versionCheck: undefined,
    }));
  assertEquals(withoutBinary(after), withoutBinary(before));
  const s1 = host(after, "s1");
  assertEquals(s1.files[0].content, {
    kind: "download",
    url: "https://github.com/k3s-io/k3s/releases/download/v1.32.1%2Bk3s1/k3s",
    checksumsUrl: "https://github.com/k3s-io/k3s/releases/download/v1.32.1%2Bk3s1/sha256sum-amd64.txt",
    checksumName: "k3s",
  });
  assertEquals(s1.versionCheck?.expect, "k3s version v1.32.1+k3s1");
});

Deno.test("k3s plan: uninstall stops the unit, cleans up after pods and removes k3s's files", () => {
  const plan = buildK3sPlan(parseK3sInventory(highlyAvailable()));
  const steps = host(plan, "s1").uninstall;
  assertEquals(steps.slice(0, 2), [
    { kind: "command", argv: ["systemctl", "disable", "--now", "k3s.service"], mayFail: true },
    {
      kind: "command",
      argv: ["systemctl", "kill", "--kill-whom=all", "--signal=SIGKILL", "k3s.service"],
      mayFail: true,
    },
  ]);
  assertEquals(steps[2], {
    kind: "command",
    argv: [
      "sh",
      "-c",
      "for prefix in /run/k3s /var/lib/rancher/k3s /var/lib/kubelet/pods /var/lib/kubelet/plugins " +
      "/run/netns/cni-; do awk -v p=\"$prefix\" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | " +
      "sort -r | xargs -r -n 1 umount; done",
    ],
    mayFail: false,
  });
  assertEquals(steps.slice(3, 6).map((step) => step.kind === "command" && step.argv.join(" ")), [
    "ip link delete cni0",
    "ip link delete flannel.1",
    "ip link delete flannel-v6.1",
  ]);
  assertEquals(
    steps.filter((step) => step.kind === "remove").map((step) => step.kind === "remove" && step.path),
    [
      "/etc/systemd/system/k3s.service",
      "/usr/local/bin/k3s",
      "/etc/rancher/k3s",
      "/var/lib/rancher/k3s",
      "/var/lib/kubelet",
      "/run/k3s",
      "/run/flannel",
      "/var/lib/cni",
    ],
  );
  assertEquals(steps.slice(-2), [
    { kind: "command", argv: ["systemctl", "daemon-reload"], mayFail: false },
    { kind: "command", argv: ["systemctl", "reset-failed", "k3s.service"], mayFail: true },
  ]);
  const agent = host(plan, "a1").uninstall;
  assertEquals(agent[0], {
    kind: "command",
    argv: ["systemctl", "disable", "--now", "k3s-agent.service"],
    mayFail: true,
  });
  assert(
    agent.some((step) => step.kind === "remove" && step.path === "/etc/systemd/system/k3s-agent.service"),
  );
});

Deno.test("k3s plan: without an overlay unit the unit waits for the network only", () => {
  const plan = buildK3sPlan(parseK3sInventory(oneServer({ overlayUnit: "" })));
  assert(host(plan, "s1").unit.text.includes("\nWants=network-online.target\nAfter=network-online.target\n"));
});

Deno.test("k3s plan: uninstall removes every file the plan writes, air-gap images included", () => {
  const airgap = {
    x86_64: { binary: "/srv/k3s/k3s", images: "/srv/k3s/images.tar.zst" },
    aarch64: { binary: "/srv/k3s/k3s-arm64", images: "/srv/k3s/images-arm64.tar" },
  };
  for (
    const plan of [highlyAvailable(), highlyAvailable({ airgap })].map((input) =>
      buildK3sPlan(parseK3sInventory(input))
    )
  ) {
    for (const node of plan.hosts) {
      const removed = node.uninstall.flatMap((step) => step.kind === "remove" ? [step.path] : []);
      for (const path of [...node.files.map((file) => file.path), node.unit.path]) {
        assert(
          removed.some((gone) => path === gone || path.startsWith(`${gone}/`)),
          `${node.host}: ${path} is left behind`,
        );
      }
    }
  }
});
