// The k3s kind, as a placeholder until the k3sdeployer's SSH apply (core/deploy/k3s) is wired here: the
// service lists it as unavailable, with why, and refuses to start it.
import { FieldErrors } from "../errors/field_errors.ts";
import type { Deployer } from "./deployer.ts";

const NOT_WIRED =
  "k3s deployments are not wired into this service yet: run k3sdeployer with an inventory file";

export function k3sDeployer(): Deployer {
  return {
    kind: "k3s",
    title: "k3s cluster",
    description: "k3s servers (the first initialises the embedded etcd) and agents joined over the gloeth " +
      "mesh addresses; the targets matching the server selector are servers, the others agents.",
    unavailable: () => Promise.resolve(NOT_WIRED),
    prepare: () => Promise.reject(new FieldErrors([{ field: "kind", message: NOT_WIRED }])),
  };
}
