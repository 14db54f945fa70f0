import type { GetBootSettingsResponse } from "../../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { routeHref } from "../../route.ts";

/** What to do next while nothing is served yet, and what the starter tree could not find. */
export function NextSteps({ state }: { state: GetBootSettingsResponse }) {
  const serving = state.tftpPort > 0 || state.proxyDhcpServing;
  return (
    <>
      {!serving && (
        <div class="next-steps" data-section="next-steps" role="note">
          <p>
            <strong>Next:</strong> choose the interface your machines boot on below, switch TFTP on and save.
          </p>
          <p>
            Then point them here: serve DHCP on that interface in the{" "}
            <a href={routeHref(["necon"])}>DHCP page</a>{" "}
            (it asks these boot rules), or keep your own DHCP server and switch proxyDHCP on as well.
          </p>
        </div>
      )}
      {state.starterMissing.length > 0 && (
        <p class="error" data-field="starter-missing">
          The starter boot tree lacks{" "}
          {state.starterMissing.join(", ")}: install Debian's ipxe package and upload them (or copy them from
          /usr/lib/ipxe).
        </p>
      )}
    </>
  );
}
