import { useEffect, useState } from "preact/hooks";
import { type GetConfigResponse, NeconService } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { client } from "../../client.ts";

export const neconApi = () => client(NeconService);

export interface NeconConfigState {
  /** The running configuration, as the server last said (never a draft the server refused). */
  current: GetConfigResponse | null;
  error: string | null;
  /** Asks the server again now: after every change, accepted or refused. */
  reload: () => Promise<void>;
}

/** necon's running configuration, polled so a change from elsewhere (another tab, the CLI) shows up. */
export function useNeconConfig(everyMs = 5000): NeconConfigState {
  const [current, setCurrent] = useState<GetConfigResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = async () => {
    try {
      setCurrent(await neconApi().getConfig({}));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void reload();
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, []);
  return { current, error, reload };
}
