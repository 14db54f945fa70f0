import { type Scan, ScanState } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { liwascApi, scanStateNames } from "./api.ts";

/** One scan's progress line, with Cancel while it runs. */
export function ScanProgress({ scan, onError }: { scan: Scan; onError: (message: string) => void }) {
  const running = scan.state === ScanState.RUNNING;
  return (
    <div class="scan-progress" data-scan={scan.id} data-state={scanStateNames[scan.state]}>
      <progress max={scan.total || 1} value={scan.done} />{" "}
      <span class="muted">
        {scan.target} {scan.ports && `(${scan.ports})`}: {scan.done}/{scan.total}, {scan.found} found
        {scan.error && ` — ${scan.error}`}
      </span>{" "}
      {running
        ? (
          <button
            type="button"
            onClick={() => liwascApi().cancelScan({ id: scan.id }).catch((e) => onError(String(e)))}
          >
            Cancel
          </button>
        )
        : <strong data-field="scan-state">{scanStateNames[scan.state]}</strong>}
    </div>
  );
}
