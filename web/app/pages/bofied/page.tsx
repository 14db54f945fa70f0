import { tftpHostOf } from "../../components/boot_links.ts";
import { type ViewTab, ViewTabs } from "../../components/view_tabs.tsx";
import { useEffect, useState } from "preact/hooks";
import type {
  GetBootInfoResponse,
  GetBootSettingsResponse,
} from "../../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { useRoute } from "../../route.ts";
import { servicePages } from "../registry.ts";
import { bofiedApi, errorText } from "./api.ts";
import { BootSettingsForm } from "./boot_settings.tsx";
import { EventsView } from "./events.tsx";
import { FilesView } from "./files.tsx";
import { NextSteps } from "./next_steps.tsx";
import { RulesView } from "./rules.tsx";

const views: ViewTab[] = [
  { key: "", title: "Setup", path: ["bofied"] },
  { key: "files", title: "Files", path: ["bofied", "files"] },
  { key: "rules", title: "Rules", path: ["bofied", "rules"] },
  { key: "events", title: "Events", path: ["bofied", "events"] },
];

function Status({ info, state }: { info: GetBootInfoResponse; state: GetBootSettingsResponse }) {
  const tftp = state.tftpPort
    ? `on ${state.settings?.tftpInterface || info.tftpAddress || "all interfaces"}, port ${state.tftpPort}`
    : "off";
  const proxy = state.proxyDhcpServing ? `on ${state.settings?.proxyDhcpInterface}` : "off";
  return (
    <p class="muted">
      HTTP: <span data-field="http-boot">{info.httpBootUrl}</span> · TFTP:{" "}
      <span data-field="tftp-status">{tftp}</span> · proxyDHCP:{" "}
      <span data-field="proxy-dhcp-status">{proxy}</span> · boot address:{" "}
      <span data-field="boot-address">{state.effectiveBootAddress || "the DHCP server's"}</span>
      {info.rulesError && <span class="error">· rules rejected: {info.rulesError}</span>}
    </p>
  );
}

/**
 * bofied: setup (what to do next, boot settings), the served files, the boot rules and live events, each
 * a view with its own address (#/bofied, #/bofied/files/<path>, #/bofied/rules, #/bofied/events).
 */
function BofiedPage() {
  const view = useRoute().path[1] ?? "";
  const [info, setInfo] = useState<GetBootInfoResponse | null>(null);
  const [state, setState] = useState<GetBootSettingsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function load() {
    try {
      const [bootInfo, settings] = await Promise.all([
        bofiedApi().getBootInfo({}),
        bofiedApi().getBootSettings({}),
      ]);
      setInfo(bootInfo);
      setState(settings);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!info || !state) return <p>Loading…</p>;
  const tftpHost = tftpHostOf(info, state);
  return (
    <section class="bofied">
      <h2>Network boot</h2>
      <Status info={info} state={state} />
      <ViewTabs label="Network boot views" tabs={views} current={view} />
      {view === "" && (
        <section data-view="setup">
          <NextSteps state={state} />
          <BootSettingsForm
            state={state}
            onSaved={(saved) => {
              setState(saved);
              void load();
            }}
          />
        </section>
      )}
      {view === "files" && <FilesView info={info} tftpHost={tftpHost} />}
      {view === "rules" && <RulesView info={info} onSaved={load} />}
      {view === "events" && <EventsView />}
    </section>
  );
}

servicePages.bofied = BofiedPage;
