import { useState } from "preact/hooks";
import { AuthService } from "../../core/api/gen/ctpf/v1/auth_pb.ts";
import { client, saveToken } from "./client.ts";

/** Sign in with a user name and password, or paste an API token (the admin token from the data dir). */
export function Login({ onSignedIn }: { onSignedIn: () => void }) {
  const [mode, setMode] = useState<"password" | "token">("password");
  const [user, setUser] = useState("");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === "password") {
        const response = await client(AuthService).login({ user, password: secret });
        saveToken(response.token);
      } else {
        saveToken(secret.trim());
        await client(AuthService).whoAmI({}).then((who) => {
          if (who.principal === "anonymous") throw new Error("token not accepted");
        });
      }
      onSignedIn();
    } catch (e) {
      saveToken(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>CTPF</h1>
        <div class="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={mode === "password"}
            onClick={() => setMode("password")}
          >
            User
          </button>
          <button type="button" role="tab" aria-selected={mode === "token"} onClick={() => setMode("token")}>
            Token
          </button>
        </div>
        {mode === "password" && (
          <label>
            User name
            <input
              name="user"
              autocomplete="username"
              value={user}
              onInput={(e) => setUser(e.currentTarget.value)}
            />
          </label>
        )}
        <label>
          {mode === "password" ? "Password" : "API token"}
          <input
            name={mode === "password" ? "password" : "token"}
            type="password"
            autocomplete={mode === "password" ? "current-password" : "off"}
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>Sign in</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </main>
  );
}
