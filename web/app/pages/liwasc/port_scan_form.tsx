import { useState } from "preact/hooks";
import { TcpScanMethod } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { Field } from "../../components/field.tsx";
import { errorText, liwascApi } from "./api.ts";

// The port sets the API takes ("22,80", "1-1024", "top:N", "all"), as one-click choices.
const presets = [
  { spec: "top:100", title: "100 most used" },
  { spec: "top:1000", title: "1000 most used" },
  { spec: "1-1024", title: "1–1024" },
  { spec: "all", title: "all 65535" },
];

/** Starts a port scan of one of the node's addresses: TCP (connect or SYN) and optionally UDP ports. */
export function PortScanForm({ ips, ip, onIp }: { ips: string[]; ip: string; onIp: (ip: string) => void }) {
  const [tcpPorts, setTcpPorts] = useState("top:100");
  const [udpPorts, setUdpPorts] = useState("");
  const [timeoutMs, setTimeoutMs] = useState("");
  const [halfOpen, setHalfOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const preset = presets.some((p) => p.spec === tcpPorts) ? tcpPorts : "";
  return (
    <form
      class="form"
      aria-label="Port scan"
      onSubmit={(event) => {
        event.preventDefault();
        const timeout = timeoutMs.trim() === "" ? 0 : Number(timeoutMs);
        if (!Number.isInteger(timeout) || timeout < 0) {
          return setError(
            "timeout: a whole number of milliseconds",
          );
        }
        liwascApi().startPortScan({
          ip,
          tcpPorts,
          udpPorts,
          timeoutMs: timeout,
          tcpMethod: halfOpen ? TcpScanMethod.SYN : TcpScanMethod.CONNECT,
        }).then(() => setError(null), (e) => setError(errorText(e)));
      }}
    >
      <div class="row">
        {ips.length > 1 && (
          <Field label="Address" name="ip">
            <select name="ip" value={ip} onChange={(e) => onIp(e.currentTarget.value)}>
              {ips.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </Field>
        )}
        <Field label="TCP ports" name="tcp_ports" hint="22,80,443 · 1-1024 · top:N · all">
          <select
            name="preset"
            aria-label="TCP port preset"
            value={preset}
            onChange={(e) => e.currentTarget.value && setTcpPorts(e.currentTarget.value)}
          >
            {presets.map((p) => <option key={p.spec} value={p.spec}>{p.title}</option>)}
            <option value="">as typed</option>
          </select>
          <input name="tcp" value={tcpPorts} onInput={(e) => setTcpPorts(e.currentTarget.value)} />
        </Field>
        <Field label="UDP ports" name="udp_ports" hint="empty: no UDP scan">
          <input
            name="udp"
            value={udpPorts}
            placeholder="none"
            onInput={(e) => setUdpPorts(e.currentTarget.value)}
          />
        </Field>
        <Field label="Timeout per probe (ms)" name="timeout_ms" hint="empty: 1000">
          <input
            name="timeout"
            inputMode="numeric"
            value={timeoutMs}
            placeholder="1000"
            onInput={(e) => setTimeoutMs(e.currentTarget.value)}
          />
        </Field>
      </div>
      <label title="half-open SYN probes over a raw socket: faster, and no service sees a connection">
        <input type="checkbox" checked={halfOpen} onChange={(e) => setHalfOpen(e.currentTarget.checked)} />
        {" "}
        SYN (half-open)
      </label>
      <div class="actions">
        <button type="submit">Scan ports</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}
