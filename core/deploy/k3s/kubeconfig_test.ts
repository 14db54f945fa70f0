import { InputError } from "../../errors/input_error.ts";
import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { rewriteKubeconfig } from "./kubeconfig.ts";

// The layout a k3s server writes to /etc/rancher/k3s/k3s.yaml; the certificate data is made-up base64.
const CA = btoa(
  "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQD\n" +
    "-----END CERTIFICATE-----\n",
);
const CERT = btoa(
  "-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIIYk5wGEDrUd8wCgYIKoZIzj0EAwIw\n" +
    "-----END CERTIFICATE-----\n",
);
const KEY = btoa(
  "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFak3KeyMaterialThatIsNotRealAtAll\n" +
    "-----END EC PRIVATE KEY-----\n",
);

const K3S_YAML = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: ${CERT}
    client-key-data: ${KEY}
`;

const TARGET = { server: "https://10.200.0.1:6443", name: "lab" };

Deno.test("kubeconfig: k3s's URL points at the first server's overlay address, entries named after the cluster", () => {
  assertEquals(
    rewriteKubeconfig(K3S_YAML, TARGET),
    `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://10.200.0.1:6443
  name: lab
contexts:
- context:
    cluster: lab
    user: lab
  name: lab
current-context: lab
kind: Config
preferences: {}
users:
- name: lab
  user:
    client-certificate-data: ${CERT}
    client-key-data: ${KEY}
`,
  );
  // Rewriting again changes nothing: a second fetch gives the same file.
  assertEquals(
    rewriteKubeconfig(rewriteKubeconfig(K3S_YAML, TARGET), TARGET),
    rewriteKubeconfig(K3S_YAML, TARGET),
  );
});

const haveKubectl = new Deno.Command("sh", { args: ["-c", "command -v kubectl"] }).outputSync().success;

Deno.test({
  name: "kubeconfig: kubectl reads the rewritten file as one cluster at the overlay address",
  ignore: !haveKubectl && !Deno.env.get("CI"),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/lab.yaml`, rewriteKubeconfig(K3S_YAML, TARGET), { mode: 0o600 });
      const output = await new Deno.Command("kubectl", {
        args: [
          "config",
          "view",
          "--kubeconfig",
          `${dir}/lab.yaml`,
          "--raw",
          "-o",
          "jsonpath={.current-context} {.clusters[0].name} {.clusters[0].cluster.server} " +
          "{.contexts[0].context.cluster} {.contexts[0].context.user} {.users[0].name} " +
          "{.users[0].user.client-key-data}",
        ],
        env: { HOME: dir },
        clearEnv: true,
      }).output();
      assert(output.success, new TextDecoder().decode(output.stderr));
      assertEquals(
        new TextDecoder().decode(output.stdout),
        `lab lab https://10.200.0.1:6443 lab lab lab ${KEY}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("kubeconfig: anything but k3s's one cluster, context and user is refused", () => {
  const twoClusters = K3S_YAML.replace(
    "contexts:",
    "- cluster:\n    server: https://127.0.0.1:7443\n  name: other\ncontexts:",
  );
  const error = assertThrows(() => rewriteKubeconfig(twoClusters, TARGET), InputError) as InputError;
  assertEquals(error.field, "kubeconfig");
  assertEquals(
    error.reason,
    "not the kubeconfig k3s writes (one cluster with a server, one context, one user): " +
      "2 clusters, 1 contexts, 1 users, 2 server URLs",
  );
  assertThrows(() => rewriteKubeconfig("", TARGET), InputError);
  assertThrows(
    () => rewriteKubeconfig(K3S_YAML, { ...TARGET, server: "https://x:1/path\nuser: evil" }),
    InputError,
  );
  assertThrows(() => rewriteKubeconfig(K3S_YAML, { ...TARGET, name: "lab\nkind: x" }), InputError);
});
