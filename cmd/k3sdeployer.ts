// k3sdeployer: installs k3s on the hosts of an inventory file over SSH, on the gloeth mesh, from a
// workstation.
import { runDeployer } from "../core/deploy/cli/command.ts";
import { k3sDeployer } from "../core/deploy/k3s/command.ts";

Deno.exit(await runDeployer(k3sDeployer));
