import { useState } from "preact/hooks";
import type { GetBootSettingsResponse } from "../../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { HostService } from "../../../../core/api/gen/ctpf/v1/host_pb.ts";
import { client } from "../../client.ts";
import { Field } from "../../components/field.tsx";
import { errorsUnder, noErrors, type SubmitErrors, submitErrorsOf } from "../../components/field_errors.ts";
import { InterfacePicker } from "../../components/interface_picker.tsx";
import { usePolled } from "../../polled.ts";
import { bofiedApi } from "./api.ts";

type Served = "tftpInterface" | "proxyDhcpInterface";

/** One server bofied runs on a chosen interface: a switch, the interface, and why it was refused. */
function ServedOn(props: {
  field: Served;
  setting: string;
  title: string;
  hint: string;
  on: boolean;
  chosen: string;
  flag?: string;
  errors: SubmitErrors;
  onChange: (on: boolean, chosen: string) => void;
}) {
  return (
    <Field
      label={props.title}
      name={props.field}
      group
      error={errorsUnder(props.errors, props.field).join("; ") || undefined}
      hint={props.flag ? `set by ${props.flag} (read-only here)` : props.hint}
    >
      <label class="switch">
        <input
          type="checkbox"
          data-setting={props.setting}
          checked={props.on}
          disabled={!!props.flag}
          onChange={(e) => props.onChange(e.currentTarget.checked, props.chosen)}
        />{" "}
        On
      </label>
      <InterfacePicker
        label={`${props.title} interface`}
        single
        chosen={props.chosen ? [props.chosen] : []}
        disabled={!!props.flag}
        onChange={(chosen) => props.onChange(true, chosen[0] ?? "")}
      />
    </Field>
  );
}

/**
 * Which interface bofied serves TFTP and proxyDHCP on, and the address booting machines come back to.
 * Applied at once by the server; a field a flag sets is shown read-only.
 */
export function BootSettingsForm(
  { state, onSaved }: { state: GetBootSettingsResponse; onSaved: (state: GetBootSettingsResponse) => void },
) {
  const flags = state.setByFlag;
  const [tftp, setTftp] = useState({
    on: !!state.settings?.tftpInterface || state.tftpPort > 0,
    chosen: state.settings?.tftpInterface ?? "",
  });
  const [proxy, setProxy] = useState({
    on: !!state.settings?.proxyDhcpInterface,
    chosen: state.settings?.proxyDhcpInterface ?? "",
  });
  const [bootAddress, setBootAddress] = useState(state.settings?.bootAddress ?? "");
  const [errors, setErrors] = useState<SubmitErrors>(noErrors);
  const [saved, setSaved] = useState(false);
  const interfaces = usePolled(() => client(HostService).listInterfaces({}).then((r) => r.interfaces), 5000);
  const addressOf = (name: string) =>
    interfaces?.find((i) => i.name === name)?.addresses.find((a) => a.includes("."))?.split("/")[0] ?? "";
  const defaultAddress = addressOf(tftp.on ? tftp.chosen : "") || addressOf(proxy.on ? proxy.chosen : "");

  async function save(event: Event) {
    event.preventDefault();
    setSaved(false);
    const missing = new Map<string, string>();
    if (!flags.tftpInterface && tftp.on && !tftp.chosen) missing.set("tftpInterface", "choose an interface");
    if (!flags.proxyDhcpInterface && proxy.on && !proxy.chosen) {
      missing.set("proxyDhcpInterface", "choose an interface");
    }
    if (missing.size) return setErrors({ fields: missing, general: null });
    try {
      const response = await bofiedApi().setBootSettings({
        settings: {
          tftpInterface: flags.tftpInterface ? state.settings?.tftpInterface : tftp.on ? tftp.chosen : "",
          proxyDhcpInterface: flags.proxyDhcpInterface
            ? state.settings?.proxyDhcpInterface
            : proxy.on
            ? proxy.chosen
            : "",
          bootAddress: flags.bootAddress ? state.settings?.bootAddress : bootAddress.trim(),
        },
      });
      setErrors(noErrors);
      setSaved(true);
      if (response.state) onSaved(response.state);
    } catch (error) {
      setErrors(submitErrorsOf(error));
    }
  }

  return (
    <form class="form" aria-label="Boot settings" data-form="boot-settings" onSubmit={save}>
      <h3>Boot settings</h3>
      <ServedOn
        field="tftpInterface"
        setting="tftp"
        title="TFTP"
        hint="Serves the boot tree on port 69 of this interface only."
        on={tftp.on}
        chosen={tftp.chosen}
        flag={flags.tftpInterface}
        errors={errors}
        onChange={(on, chosen) => setTftp({ on, chosen })}
      />
      <ServedOn
        field="proxyDhcpInterface"
        setting="proxy-dhcp"
        title="proxyDHCP"
        hint="Only beside another DHCP server: tells its PXE clients what to boot, hands out no addresses."
        on={proxy.on}
        chosen={proxy.chosen}
        flag={flags.proxyDhcpInterface}
        errors={errors}
        onChange={(on, chosen) => setProxy({ on, chosen })}
      />
      <Field
        label="Boot address"
        name="bootAddress"
        error={errorsUnder(errors, "bootAddress").join("; ") || undefined}
        hint={flags.bootAddress
          ? `set by ${flags.bootAddress} (read-only here)`
          : "Where booting machines come back to; empty: the chosen interface's address."}
      >
        <input
          name="bootAddress"
          value={flags.bootAddress ? state.settings?.bootAddress : bootAddress}
          placeholder={defaultAddress || state.effectiveBootAddress}
          readOnly={!!flags.bootAddress}
          onInput={(e) => setBootAddress(e.currentTarget.value)}
        />
      </Field>
      {errors.general && <p class="error" role="alert">{errors.general}</p>}
      <div class="actions">
        <button type="submit" data-action="save-boot-settings">Save boot settings</button>
        {saved && <span class="muted" role="status">saved</span>}
      </div>
    </form>
  );
}
