import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { savedToken } from "../client.ts";
import { errorText } from "../format.ts";

/**
 * A link to a file behind the API's credential. A plain link cannot carry the bearer token (it lives in
 * the page, never in a cookie), so a click fetches the file with it and saves the bytes as `fileName`;
 * the href stays the real path, to copy for curl.
 */
export function DownloadLink(props: { path: string; fileName: string; children: ComponentChildren }) {
  const [error, setError] = useState<string | null>(null);
  async function download(event: Event) {
    event.preventDefault();
    const token = savedToken();
    try {
      const response = await fetch(props.path, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (!response.ok) throw new Error(`${response.status} ${(await response.text()).trim()}`);
      const url = URL.createObjectURL(await response.blob());
      const save = document.createElement("a");
      save.href = url;
      save.download = props.fileName;
      save.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <>
      <a href={props.path} download={props.fileName} data-link="download" onClick={download}>
        {props.children}
      </a>
      {error && <small class="error" role="alert">{error}</small>}
    </>
  );
}
