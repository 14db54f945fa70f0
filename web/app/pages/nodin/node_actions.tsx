import { useState } from "preact/hooks";
import type { InventoryNode } from "../../../../core/api/gen/ctpf/v1/nodin_pb.ts";
import { usePolled } from "../../polled.ts";
import { errorText, nodinApi } from "./api.ts";

const nextSteps: Record<string, string[]> = {
  discovered: [],
  enrolled: ["provisioning", "ready"],
  provisioning: ["ready", "enrolled"],
  ready: ["provisioning", "deployed"],
  deployed: ["ready", "provisioning"],
  retired: [],
};

/** Power, boot device and life-cycle actions on one node; each shows the API's refusal if it has one. */
export function NodeActions({ node }: { node: InventoryNode }) {
  const drivers = usePolled(() => nodinApi().listDrivers({}), 30_000);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [device, setDevice] = useState("pxe");
  const run = (what: string, call: () => Promise<unknown>) =>
    call().then(
      () => setMessage({ error: false, text: `${what}: done` }),
      (e) => setMessage({ error: true, text: errorText(e) }),
    );
  const driver = drivers?.drivers.find((d) => d.driver === node.bmc?.driver);
  const actions = driver?.capabilities?.actions ?? [];
  const power = (action: string, label: string) => (
    <button
      type="button"
      disabled={!actions.includes(action) && !(action === "cycle" && actions.includes("off"))}
      onClick={() => run(label, () => nodinApi().setPower({ id: node.id, action }))}
    >
      {label}
    </button>
  );
  return (
    <div class="card" aria-label="Actions">
      <div class="toolbar" aria-label="Power">
        {power("on", "Power on")}
        {power("soft-off", "Soft off")}
        {power("off", "Power off")}
        {power("cycle", "Power cycle")}
        {!node.bmc && <span class="muted">No BMC reference: set one below to manage power.</span>}
      </div>
      {(driver?.capabilities?.bootDevices.length ?? 0) > 0 && (
        <div class="toolbar" aria-label="Boot device">
          <select aria-label="Boot device" value={device} onChange={(e) => setDevice(e.currentTarget.value)}>
            {driver!.capabilities!.bootDevices.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
          <button
            type="button"
            onClick={() =>
              run("boot device", () => nodinApi().setBootDevice({ id: node.id, device, persistent: false }))}
          >
            Set next boot
          </button>
        </div>
      )}
      <div class="toolbar" aria-label="Life-cycle">
        {(node.lifecycle === "discovered" || node.lifecycle === "retired") && (
          <button
            type="button"
            onClick={() => run("enrol", () => nodinApi().enrolNode({ id: node.id }))}
          >
            Enrol
          </button>
        )}
        {nextSteps[node.lifecycle]?.map((step) => (
          <button
            key={step}
            type="button"
            onClick={() => run(step, () => nodinApi().setLifecycle({ id: node.id, lifecycle: step }))}
          >
            Mark {step}
          </button>
        ))}
        {node.lifecycle !== "retired" && (
          <button
            type="button"
            onClick={() => run("retire", () => nodinApi().retireNode({ id: node.id, powerOff: !!node.bmc }))}
          >
            Retire
          </button>
        )}
      </div>
      {message && (
        <p class={message.error ? "error" : "muted"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </div>
  );
}
