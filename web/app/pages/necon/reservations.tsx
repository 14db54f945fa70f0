import { useState } from "preact/hooks";
import type { Reservation, Subnet } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { SortableTable } from "../../components/sortable_table.tsx";
import { neconApi } from "./config_state.ts";
import { errorText, unclaimedErrors } from "./form_errors.ts";
import { TextField } from "./inputs.tsx";

interface ReservationDraft {
  mac: string;
  clientId: string;
  ip: string;
  hostname: string;
}

const blank: ReservationDraft = { mac: "", clientId: "", ip: "", hostname: "" };
const claimed = ["reservation.mac", "reservation.clientId", "reservation.ip", "reservation.hostname"];

/** A subnet's reservations (from the running configuration) with a form to add, edit and delete them. */
export function Reservations(props: { subnet: Subnet; reload: () => Promise<void> }) {
  // The address being edited ("" for a new reservation), or null when the form is closed.
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<ReservationDraft>(blank);
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [problem, setProblem] = useState<string | null>(null);

  const open = (reservation?: Reservation) => {
    setEditing(reservation?.ip ?? "");
    setDraft(
      reservation
        ? {
          mac: reservation.mac,
          clientId: reservation.clientId,
          ip: reservation.ip,
          hostname: reservation.hostname,
        }
        : blank,
    );
    setErrors(noErrors);
  };

  async function save(event: Event) {
    event.preventDefault();
    try {
      await neconApi().putReservation({
        subnetId: props.subnet.id,
        reservation: {
          mac: draft.mac.trim(),
          clientId: draft.clientId.trim(),
          ip: draft.ip.trim(),
          hostname: draft.hostname.trim(),
        },
        replacesIp: editing ?? "",
      });
      setEditing(null);
    } catch (e) {
      setErrors(submitErrorsOf(e));
    }
    await props.reload();
  }

  async function remove(ip: string) {
    if (!confirm(`Delete the reservation of ${ip}?`)) return;
    try {
      await neconApi().deleteReservation({ subnetId: props.subnet.id, ip });
      setProblem(null);
    } catch (e) {
      setProblem(submitErrorsOf(e).general);
    }
    await props.reload();
  }

  const unclaimed = unclaimedErrors(errors, claimed);
  const field = (name: keyof ReservationDraft, label: string, hint?: string) => (
    <TextField
      label={label}
      name={`reservation.${name}`}
      value={draft[name]}
      hint={hint}
      error={errorText(errors, `reservation.${name}`)}
      onInput={(value) => setDraft({ ...draft, [name]: value })}
    />
  );
  return (
    <section aria-label="Reservations">
      <h3>Reservations</h3>
      {problem && <p class="error" role="alert">{problem}</p>}
      <SortableTable<Reservation>
        label="Reservations"
        name="reservations"
        rows={props.subnet.reservations}
        rowKey={(r) => r.ip}
        rowProps={(r) => ({ "data-reservation": r.ip })}
        defaultSort="ip"
        empty="No reservation: every client gets a pool address."
        columns={[
          { key: "ip", title: "Address", sortValue: (r) => r.ip, render: (r) => r.ip },
          {
            key: "client",
            title: "Client",
            sortValue: (r) => r.mac || r.clientId,
            render: (r) => r.mac || r.clientId,
          },
          { key: "hostname", title: "Host name", sortValue: (r) => r.hostname, render: (r) => r.hostname },
          {
            key: "actions",
            title: "",
            render: (r) => (
              <span class="actions">
                <button type="button" onClick={() => open(r)}>Edit</button>
                <button type="button" onClick={() => remove(r.ip)}>Delete</button>
              </span>
            ),
          },
        ]}
      />
      {editing === null && <button type="button" onClick={() => open()}>Add reservation</button>}
      {editing !== null && (
        <form class="form" aria-label="Reservation" onSubmit={save} noValidate>
          {unclaimed.length > 0 && (
            <p class="error" role="alert">
              Not saved: {unclaimed.join("; ")}
            </p>
          )}
          <div class="row">
            {field("ip", "Address")}
            {field("mac", "MAC address", "or a client id")}
            {field("clientId", "Client id", "hex, type byte first: 01aabbccddeeff")}
            {field("hostname", "Host name", "optional: sent as option 12")}
          </div>
          <div class="actions">
            <button type="submit">{editing ? "Save reservation" : "Add reservation"}</button>
            <button type="button" onClick={() => setEditing(null)}>Cancel</button>
          </div>
        </form>
      )}
    </section>
  );
}
