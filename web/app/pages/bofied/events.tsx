import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { BootEvent } from "../../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { useLiveStream } from "../../live.ts";
import { bofiedApi } from "./api.ts";

/** Transfers, PXE answers, rules reloads and settings changes, newest first, live. */
export function EventsView() {
  const events = useLiveStream<{ event?: BootEvent }, BootEvent[]>(
    (signal) => bofiedApi().subscribeToEvents({ history: 100 }, { signal }),
    (list, message) => message.event ? [...list.slice(-299), message.event] : list,
    [],
  );
  return (
    <section data-view="events">
      <h3>
        Events <span class={events.connected ? "dot on" : "dot"} />
      </h3>
      <table class="log" aria-label="Boot events">
        <tbody>
          {[...events.state].reverse().map((event, i) => (
            <tr key={i} class={event.kind}>
              <td>{event.time ? timestampDate(event.time).toLocaleTimeString() : ""}</td>
              <td>{event.kind}</td>
              <td>{event.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
