import { useEffect, useState } from "preact/hooks";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  BofiedService,
  type BootEvent,
  FileArea,
  type FileEntry,
  type GetBootInfoResponse,
} from "../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { client } from "../client.ts";
import { useLiveStream } from "../live.ts";
import { servicePages } from "./registry.ts";

const api = () => client(BofiedService);
const editable = /\.(ipxe|txt|cfg|conf|json|sh|ts|js|yaml|yml|cfg|menu)$/i;

function joinPath(directory: string, name: string): string {
  return `${directory.replace(/\/$/, "")}/${name}`;
}

function Explorer({ info }: { info: GetBootInfoResponse }) {
  const [area, setArea] = useState(FileArea.BOOT);
  const [path, setPath] = useState("/");
  const [entries, setEntries] = useState<FileEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ path: string; text: string } | null>(null);

  async function refresh() {
    try {
      setEntries((await api().listFiles({ area, path })).entries);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  useEffect(() => void refresh(), [area, path]);

  async function act(work: () => Promise<unknown>) {
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  async function upload(files: FileList | null) {
    for (const file of files ?? []) {
      await act(() =>
        file.arrayBuffer().then((buffer) =>
          api().writeFile({ area, path: joinPath(path, file.name), content: new Uint8Array(buffer) })
        )
      );
    }
  }

  async function open(entry: FileEntry) {
    if (entry.directory) return setPath(entry.path);
    const { content } = await api().readFile({ area, path: entry.path });
    setEditing({ path: entry.path, text: new TextDecoder().decode(content) });
  }

  const links = (entry: FileEntry) => {
    if (area !== FileArea.BOOT || entry.directory) return null;
    const host = info.tftpAddress && info.tftpAddress !== "0.0.0.0" ? info.tftpAddress : location.hostname;
    return (
      <span class="links">
        <a href={`${info.httpBootUrl}${entry.path}`} data-link="http">http</a>
        {info.tftpPort > 0 && (
          <button
            type="button"
            onClick={() => navigator.clipboard?.writeText(`tftp://${host}:${info.tftpPort}${entry.path}`)}
          >
            copy tftp://
          </button>
        )}
      </span>
    );
  };

  return (
    <section aria-label="Files">
      <div class="toolbar">
        <select
          aria-label="Area"
          value={String(area)}
          onChange={(e) => {
            setArea(Number(e.currentTarget.value) as FileArea);
            setPath("/");
          }}
        >
          <option value={String(FileArea.BOOT)}>boot (TFTP + HTTP /boot)</option>
          <option value={String(FileArea.PRIVATE)}>private (HTTP /private)</option>
        </select>
        <span data-field="path">{path}</span>
        {path !== "/" && (
          <button
            type="button"
            onClick={() => setPath(path.replace(/\/[^/]+\/?$/, "") || "/")}
          >
            Up
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            const name = prompt("New directory name");
            if (name) void act(() => api().makeDirectory({ area, path: joinPath(path, name) }));
          }}
        >
          New folder
        </button>
        <label class="upload">
          Upload{" "}
          <input
            type="file"
            multiple
            aria-label="Upload files"
            onChange={(e) => upload(e.currentTarget.files)}
          />
        </label>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="grid" aria-label="Directory">
        <thead>
          <tr>
            <th>Name</th>
            <th>Size</th>
            <th>Modified</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.path} data-path={entry.path}>
              <td>
                <a href="#/bofied" onClick={(e) => (e.preventDefault(), void open(entry))}>
                  {entry.directory ? `${entry.name}/` : entry.name}
                </a>
              </td>
              <td>{entry.directory ? "" : String(entry.size)}</td>
              <td>{entry.modified ? timestampDate(entry.modified).toLocaleString() : ""}</td>
              <td>
                {links(entry)}
                <button
                  type="button"
                  onClick={() => {
                    const to = prompt("Move to", entry.path);
                    if (to && to !== entry.path) {
                      void act(() => api().moveFile({ area, from: entry.path, to }));
                    }
                  }}
                >
                  Move
                </button>
                <button
                  type="button"
                  onClick={() => {
                    if (confirm(`Delete ${entry.path}?`)) {
                      void act(() =>
                        api().deleteFile({ area, path: entry.path, recursive: entry.directory })
                      );
                    }
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && editable.test(editing.path) && (
        <Editor
          path={editing.path}
          text={editing.text}
          isRules={false}
          onSave={(text) =>
            act(() => api().writeFile({ area, path: editing.path, content: new TextEncoder().encode(text) }))}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}

function Editor(
  { path, text, onSave, onClose, isRules }: {
    path: string;
    text: string;
    isRules: boolean;
    onSave: (text: string) => Promise<unknown>;
    onClose: () => void;
  },
) {
  const [value, setValue] = useState(text);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  async function save() {
    setSaved(false);
    if (isRules) {
      // The rules are checked in the server's sandbox before they replace the running ones.
      const { error } = await api().checkRules({ source: value });
      if (error) return setProblem(error);
    }
    setProblem(null);
    await onSave(value);
    setSaved(true);
  }
  return (
    <div class="editor" aria-label={`Editing ${path}`}>
      <h3>{path}</h3>
      <textarea
        aria-label="File text"
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
        rows={18}
      />
      <div class="toolbar">
        <button type="button" onClick={save}>Save</button>
        <button type="button" onClick={onClose}>Close</button>
        {saved && <span class="muted" role="status">saved</span>}
      </div>
      {problem && <p class="error" role="alert">{problem}</p>}
    </div>
  );
}

function Events() {
  const events = useLiveStream<{ event?: BootEvent }, BootEvent[]>(
    (signal) => api().subscribeToEvents({ history: 100 }, { signal }),
    (list, message) => message.event ? [...list.slice(-299), message.event] : list,
    [],
  );
  return (
    <section>
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

/** bofied: the served files, the boot rules (checked before saving), live events. */
function BofiedPage() {
  const [info, setInfo] = useState<GetBootInfoResponse | null>(null);
  const [rules, setRules] = useState<string | null>(null);
  useEffect(() => void api().getBootInfo({}).then(setInfo), []);
  async function editRules() {
    setRules((await fetchRules()).source);
  }
  if (!info) return <p>Loading…</p>;
  return (
    <section>
      <h2>Network boot</h2>
      <p class="muted">
        HTTP: <span data-field="http-boot">{info.httpBootUrl}</span> · TFTP:{" "}
        {info.tftpPort ? `${info.tftpAddress}:${info.tftpPort}` : "off"} · rules: {info.rulesPath}
        {info.rulesError && <span class="error">(rejected: {info.rulesError})</span>}
      </p>
      <button type="button" onClick={editRules}>Edit boot rules</button>
      {rules !== null && (
        <Editor
          path="rules.ts"
          text={rules}
          isRules
          onSave={(text) => saveRules(text)}
          onClose={() => setRules(null)}
        />
      )}
      <Explorer info={info} />
      <Events />
    </section>
  );
}

function fetchRules() {
  return api().getRules({});
}

function saveRules(text: string) {
  return api().putRules({ source: text });
}

servicePages.bofied = BofiedPage;
