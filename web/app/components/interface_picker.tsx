import { HostService, type NetworkInterface } from "../../../core/api/gen/ctpf/v1/host_pb.ts";
import { client } from "../client.ts";
import { usePolled } from "../polled.ts";

/**
 * Choose interfaces from the machine's own list instead of typing names: name, MAC, addresses and link
 * state beside each box. A chosen name the machine no longer has stays listed (marked missing) so it can
 * be unticked. Loopback is left out: no service serves or scans it.
 */
export function InterfacePicker(props: {
  label: string;
  chosen: string[];
  onChange: (chosen: string[]) => void;
  disabled?: boolean;
  /** Pick one (radio buttons) instead of several. */
  single?: boolean;
}) {
  const listed = usePolled(() => client(HostService).listInterfaces({}).then((r) => r.interfaces), 5000);
  const machine = (listed ?? []).filter((i) => !i.loopback);
  const missing = props.chosen.filter((name) => !machine.some((i) => i.name === name));
  const toggle = (name: string, on: boolean) => {
    if (props.single) props.onChange(on ? [name] : []);
    else props.onChange(on ? [...props.chosen, name] : props.chosen.filter((n) => n !== name));
  };
  return (
    <fieldset class="interfaces" aria-label={props.label} disabled={props.disabled}>
      <legend>{props.label}</legend>
      {listed === null && <p class="muted">Loading interfaces…</p>}
      {listed !== null && machine.length === 0 && <p class="muted">This machine has no network interface.</p>}
      {machine.map((i) => (
        <label key={i.name} class="interface" data-interface={i.name}>
          <input
            type={props.single ? "radio" : "checkbox"}
            name={props.label}
            checked={props.chosen.includes(i.name)}
            onChange={(event) => toggle(i.name, (event.target as HTMLInputElement).checked)}
          />
          <strong>{i.name}</strong> <LinkState facts={i} /> <span class="muted">{i.mac}</span>{" "}
          <span>{i.addresses.filter((a) => !a.startsWith("fe80")).join(", ")}</span>
        </label>
      ))}
      {missing.map((name) => (
        <label key={name} class="interface missing" data-interface={name}>
          <input type="checkbox" checked onChange={() => toggle(name, false)} />
          <strong>{name}</strong> <span class="error">not on this machine</span>
        </label>
      ))}
    </fieldset>
  );
}

function LinkState({ facts }: { facts: NetworkInterface }) {
  if (!facts.up) return <span class="badge off">down</span>;
  return facts.running ? <span class="badge on">up</span> : <span class="badge warn">no carrier</span>;
}
