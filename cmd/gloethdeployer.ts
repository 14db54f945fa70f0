// gloethdeployer: installs the gloeth mesh on the hosts of an inventory file over SSH, from a workstation.
import { runDeployer } from "../core/deploy/cli/command.ts";
import { gloethDeployer } from "../core/deploy/gloeth/command.ts";

Deno.exit(await runDeployer(gloethDeployer));
