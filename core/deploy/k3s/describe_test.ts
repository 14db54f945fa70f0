import { assertEquals } from "../../testing/assert.ts";
import { describeK3sPlan } from "./describe.ts";
import { parseK3sInventory } from "./inventory.ts";
import { buildK3sPlan } from "./plan.ts";
import { highlyAvailable } from "./testing.ts";

Deno.test("k3s plan described: stages, files (the token by its source only), invocations", () => {
  const plan = buildK3sPlan(parseK3sInventory(highlyAvailable({
    servers: [{ name: "s1", overlayAddress: "10.200.0.1", arch: "x86_64" }],
    agents: [{ name: "a1", overlayAddress: "10.200.0.11", arch: "aarch64" }],
    tlsSans: [],
  })));
  const release = "https://github.com/k3s-io/k3s/releases/download/v1.31.4%2Bk3s1";
  assertEquals(describeK3sPlan(plan), [
    "cluster lab, token from the controller's /etc/ctpf/k3s/lab.token",
    "stage 1: s1",
    "stage 2: a1",
    "s1: k3s server (initialises the cluster), x86_64",
    `  file /usr/local/bin/k3s 0755 from ${release}/k3s (checked against ${release}/sha256sum-amd64.txt)`,
    "  file /etc/rancher/k3s/cluster-token 0600 secret, from the controller's /etc/ctpf/k3s/lab.token",
    "  file /etc/rancher/k3s/config.yaml 0600 (8 lines)",
    "  unit /etc/systemd/system/k3s.service",
    "  runs /usr/local/bin/k3s server --cluster-init --token-file /etc/rancher/k3s/cluster-token --node-name s1 " +
    "--node-ip 10.200.0.1 --flannel-iface gloeth0 --advertise-address 10.200.0.1",
    "  checks /usr/local/bin/k3s --version says k3s version v1.31.4+k3s1",
    "a1: k3s agent, aarch64",
    `  file /usr/local/bin/k3s 0755 from ${release}/k3s-arm64 (checked against ${release}/sha256sum-arm64.txt)`,
    "  file /etc/rancher/k3s/cluster-token 0600 secret, from the controller's /etc/ctpf/k3s/lab.token",
    "  file /etc/rancher/k3s/config.yaml 0600 (7 lines)",
    "  unit /etc/systemd/system/k3s-agent.service",
    "  runs /usr/local/bin/k3s agent --server https://10.200.0.1:6443 --token-file /etc/rancher/k3s/cluster-token " +
    "--node-name a1 --node-ip 10.200.0.11 --flannel-iface gloeth0",
    "  checks /usr/local/bin/k3s --version says k3s version v1.31.4+k3s1",
    "kubeconfig: s1:/etc/rancher/k3s/k3s.yaml, rewritten for https://10.200.0.1:6443 as lab",
  ]);
});
