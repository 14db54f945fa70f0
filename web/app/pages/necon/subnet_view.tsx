import { useState } from "preact/hooks";
import type { NeconConfig, Subnet } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { submitErrorsOf } from "../../components/field_errors.ts";
import { routeHref } from "../../route.ts";
import { neconApi } from "./config_state.ts";
import { Reservations } from "./reservations.tsx";
import { SubnetForm } from "./subnet_form.tsx";

/** What runs for this subnet, from the server: after a refused save it still says what is in force. */
function Running({ subnet }: { subnet: Subnet }) {
  const pools = subnet.pools.map((p) => `${p.start}–${p.end}`).join(", ") || "none";
  return (
    <p class="muted" data-field="running">
      Running: {subnet.cidr} · pools {pools} · routers {subnet.routers.join(", ") || "none"} · lease{" "}
      {subnet.leaseSeconds || 3600} s
    </p>
  );
}

function DeleteSubnet({ subnet, reload }: { subnet: Subnet; reload: () => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function remove() {
    try {
      await neconApi().deleteSubnet({ id: subnet.id });
      await reload();
      location.hash = routeHref(["necon"]);
    } catch (e) {
      setProblem(submitErrorsOf(e).general);
    }
  }
  if (!asking) {
    return <button type="button" class="danger" onClick={() => setAsking(true)}>Delete subnet</button>;
  }
  return (
    <div class="confirm" role="alertdialog" aria-label="Confirm deletion">
      <p>
        Delete {subnet.id} and its {subnet.reservations.length}{" "}
        reservations? Its clients get no new lease here.
      </p>
      {problem && <p class="error" role="alert">{problem}</p>}
      <div class="actions">
        <button type="button" class="danger" onClick={remove}>Delete {subnet.id}</button>
        <button type="button" onClick={() => setAsking(false)}>Cancel</button>
      </div>
    </div>
  );
}

/** #/necon/subnets/<id> and #/necon/subnets/new. */
export function SubnetView(props: { id: string; config: NeconConfig; reload: () => Promise<void> }) {
  const { id, config, reload } = props;
  if (id === "new") {
    return (
      <section>
        <h3>New subnet</h3>
        <SubnetForm servedInterfaces={config.interfaces} reload={reload} />
      </section>
    );
  }
  const subnet = config.subnets.find((s) => s.id === id);
  if (!subnet) {
    return (
      <section>
        <p>
          No subnet {id} runs. <a href={routeHref(["necon"])}>Back to subnets</a>
        </p>
      </section>
    );
  }
  return (
    <section>
      <h3>Subnet {subnet.id}</h3>
      <Running subnet={subnet} />
      <SubnetForm key={subnet.id} subnet={subnet} servedInterfaces={config.interfaces} reload={reload} />
      <Reservations subnet={subnet} reload={reload} />
      <DeleteSubnet subnet={subnet} reload={reload} />
    </section>
  );
}
