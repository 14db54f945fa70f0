import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService, Role } from "../../core/api/gen/ctpf/v1/auth_pb.ts";
import { type GetMetadataResponse, MetadataService } from "../../core/api/gen/ctpf/v1/metadata_pb.ts";
import { client, saveToken } from "./client.ts";
import { unauthenticatedEvent } from "./live.ts";
import { Login } from "./login.tsx";
import { Overview } from "./pages/overview.tsx";
import { servicePages } from "./pages/registry.ts";
import { RoleContext } from "./role.ts";
import { useRoute } from "./route.ts";
import "./pages/necon/index.tsx";
import "./pages/bofied/page.tsx";
import "./pages/liwasc/index.tsx";
import "./pages/nodin/index.tsx";
import "./pages/gloeth.tsx";
import "./pages/builders/index.tsx";
import "./pages/deployers/index.tsx";

function Shell() {
  const [metadata, setMetadata] = useState<GetMetadataResponse | null>(null);
  const [principal, setPrincipal] = useState<string>("");
  const [role, setRole] = useState<Role>(Role.UNSPECIFIED);
  const [needsLogin, setNeedsLogin] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const route = useRoute().path[0] ?? "";
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route]);

  async function load() {
    try {
      const [meta, who] = await Promise.all([
        client(MetadataService).getMetadata({}),
        client(AuthService).whoAmI({}),
      ]);
      setMetadata(meta);
      setPrincipal(who.principal);
      setRole(who.role);
      setNeedsLogin(false);
    } catch (e) {
      if (e instanceof ConnectError && e.code === Code.Unauthenticated) setNeedsLogin(true);
      else setError(e instanceof Error ? e.message : String(e));
    }
  }
  useEffect(() => void load(), []);
  useEffect(() => {
    const signIn = () => {
      saveToken(null);
      setNeedsLogin(true);
    };
    addEventListener(unauthenticatedEvent, signIn);
    return () => removeEventListener(unauthenticatedEvent, signIn);
  }, []);

  async function signOut() {
    await client(AuthService).logout({}).catch(() => {});
    saveToken(null);
    setMetadata(null);
    setNeedsLogin(true);
  }

  if (needsLogin) return <Login onSignedIn={load} />;
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!metadata) return <p>Loading…</p>;

  const Page = servicePages[route];
  const service = metadata.services.find((s) => s.name === route);
  return (
    <div class={menuOpen ? "shell menu-open" : "shell"}>
      <header>
        <button
          type="button"
          class="menu"
          aria-label="Menu"
          aria-expanded={menuOpen}
          onClick={() => setMenuOpen(!menuOpen)}
        >
          ☰
        </button>
        <strong>CTPF</strong> <span class="muted">{metadata.hostname}</span>
        <span class="spacer" />
        <span class="muted" data-field="principal">{principal}</span>
        {principal === "anonymous"
          ? <button type="button" onClick={() => setNeedsLogin(true)}>Sign in</button>
          : <button type="button" onClick={signOut}>Sign out</button>}
      </header>
      <nav aria-label="Services">
        <a href="#/" aria-current={route === "" ? "page" : undefined}>Overview</a>
        {metadata.services.map((s) => (
          <a
            href={`#/${s.name}`}
            key={s.name}
            class={s.hosted ? "" : "absent"}
            aria-current={route === s.name ? "page" : undefined}
            title={s.hosted ? s.title : `${s.title}: not hosted by this process`}
          >
            {s.name} <small>{s.title}</small>
          </a>
        ))}
      </nav>
      <main>
        <RoleContext.Provider value={role}>
          {route === "" && <Overview metadata={metadata} />}
          {route !== "" && Page && service?.hosted && <Page metadata={metadata} />}
          {route !== "" && !(Page && service?.hosted) && (
            <section>
              <h2>{service?.title ?? route}</h2>
              <p>{route} is not hosted by this process ({metadata.binary} on {metadata.hostname}).</p>
            </section>
          )}
        </RoleContext.Provider>
      </main>
    </div>
  );
}

render(<Shell />, document.getElementById("root")!);
