// /etc/ctpf/gloeth.env: the node's flags as the release's unit reads them (CTPF_GLOETH_<FLAG>=value).
import { envName } from "../../config/load.ts";

export function renderEnvFile(host: string, flags: Record<string, string>): string {
  return [
    `# gloeth node ${host}, written by gloethdeployer: changes here are undone on its next run.`,
    ...Object.entries(flags).map(([flag, value]) => `${envName("gloeth", flag)}=${value}`),
    "",
  ].join("\n");
}
