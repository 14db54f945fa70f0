import { BofiedService } from "../../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { client } from "../../client.ts";

export const bofiedApi = () => client(BofiedService);

export { errorText } from "../../format.ts";

/** "/a/b" + "c" → "/a/b/c" */
export function joinPath(directory: string, name: string): string {
  return `${directory.replace(/\/$/, "")}/${name}`;
}
