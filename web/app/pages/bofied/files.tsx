import { useEffect, useState } from "preact/hooks";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  FileArea,
  type FileEntry,
  type GetBootInfoResponse,
} from "../../../../core/api/gen/ctpf/v1/bofied_pb.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { routeHref, useRoute } from "../../route.ts";
import { bofiedApi, errorText, joinPath } from "./api.ts";
import { Editor } from "./editor.tsx";

const editable = /\.(ipxe|txt|cfg|conf|json|sh|ts|js|yaml|yml|menu)$/i;

/** The link to a path in an area: #/bofied/files/a/b (boot) or …?area=private. */
export function filesHref(path: string, area: FileArea = FileArea.BOOT): string {
  const segments = path.split("/").filter(Boolean);
  return routeHref(["bofied", "files", ...segments], area === FileArea.PRIVATE ? { area: "private" } : {});
}

function parentOf(path: string): string {
  return path.replace(/\/[^/]+\/?$/, "") || "/";
}

interface Listing {
  directory: string;
  entries: FileEntry[];
  /** Set when the route names a file: it opens beside its directory. */
  file?: FileEntry;
}

/**
 * What a route's path shows. A path names a directory or a file, and only the listing of its parent
 * tells which, so a file's link is the same shape as a directory's.
 */
async function listingOf(area: FileArea, path: string): Promise<Listing> {
  if (path !== "/") {
    const siblings = (await bofiedApi().listFiles({ area, path: parentOf(path) })).entries;
    const named = siblings.find((entry) => entry.path === path);
    if (named && !named.directory) return { directory: parentOf(path), entries: siblings, file: named };
  }
  return { directory: path, entries: (await bofiedApi().listFiles({ area, path })).entries };
}

/** The boot and private trees: browse by URL, upload, make folders, move, delete, edit text files. */
export function FilesView({ info, tftpHost }: { info: GetBootInfoResponse; tftpHost: string }) {
  const route = useRoute();
  const area = route.query.get("area") === "private" ? FileArea.PRIVATE : FileArea.BOOT;
  const path = `/${route.path.slice(2).join("/")}`;
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ path: string; text: string } | null>(null);

  async function refresh() {
    try {
      setListing(await listingOf(area, path));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void refresh(), [area, path]);
  useEffect(() => {
    setEditing(null);
    const file = listing?.file;
    if (!file || !editable.test(file.name)) return;
    bofiedApi().readFile({ area, path: file.path }).then(
      ({ content }) => setEditing({ path: file.path, text: new TextDecoder().decode(content) }),
      (e) => setError(errorText(e)),
    );
  }, [listing?.file?.path, area]);

  async function act(work: () => Promise<unknown>) {
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(errorText(e));
    }
  }
  const directory = listing?.directory ?? path;

  async function upload(files: FileList | null) {
    for (const file of files ?? []) {
      const content = new Uint8Array(await file.arrayBuffer());
      await act(() => bofiedApi().writeFile({ area, path: joinPath(directory, file.name), content }));
    }
  }

  const columns: Column<FileEntry>[] = [
    {
      key: "name",
      title: "Name",
      sortValue: (entry) => `${entry.directory ? 0 : 1}${entry.name}`,
      render: (entry) => (
        <a href={filesHref(entry.path, area)}>{entry.directory ? `${entry.name}/` : entry.name}</a>
      ),
    },
    {
      key: "size",
      title: "Size",
      sortValue: (entry) => Number(entry.size),
      render: (entry) => entry.directory ? "" : String(entry.size),
    },
    {
      key: "modified",
      title: "Modified",
      sortValue: (entry) => entry.modified ? timestampDate(entry.modified).getTime() : 0,
      render: (entry) => entry.modified ? timestampDate(entry.modified).toLocaleString() : "",
    },
    {
      key: "actions",
      title: "",
      render: (entry) => (
        <span class="links">
          {area === FileArea.BOOT && !entry.directory && (
            <a href={`${info.httpBootUrl}${entry.path}`} data-link="http">http</a>
          )}
          {area === FileArea.BOOT && !entry.directory && info.tftpPort > 0 && (
            <button
              type="button"
              data-link="tftp"
              onClick={() =>
                navigator.clipboard?.writeText(`tftp://${tftpHost}:${info.tftpPort}${entry.path}`)}
            >
              copy tftp://
            </button>
          )}
          <button
            type="button"
            onClick={() => {
              const to = prompt("Move to", entry.path);
              if (to && to !== entry.path) {
                void act(() => bofiedApi().moveFile({ area, from: entry.path, to }));
              }
            }}
          >
            Move
          </button>
          <button
            type="button"
            onClick={() => {
              if (!confirm(`Delete ${entry.path}?`)) return;
              void act(() => bofiedApi().deleteFile({ area, path: entry.path, recursive: entry.directory }));
            }}
          >
            Delete
          </button>
        </span>
      ),
    },
  ];

  return (
    <section data-view="files" aria-label="Files">
      <div class="toolbar">
        <select
          aria-label="Area"
          value={area === FileArea.PRIVATE ? "private" : "boot"}
          onChange={(e) =>
            location.hash = filesHref(
              "/",
              e.currentTarget.value === "private" ? FileArea.PRIVATE : FileArea.BOOT,
            )}
        >
          <option value="boot">boot (TFTP + HTTP /boot)</option>
          <option value="private">private (HTTP /private)</option>
        </select>
        <span data-field="path">{directory}</span>
        {directory !== "/" && <a href={filesHref(parentOf(directory), area)}>Up</a>}
        <button
          type="button"
          onClick={() => {
            const name = prompt("New directory name");
            if (name) void act(() => bofiedApi().makeDirectory({ area, path: joinPath(directory, name) }));
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
      {listing && (
        <SortableTable
          label="Directory"
          name="files"
          rows={listing.entries}
          columns={columns}
          rowKey={(entry) => entry.path}
          rowProps={(entry) => ({ "data-path": entry.path })}
          defaultSort="name"
          empty="Nothing here yet: upload files, or drop them in over WebDAV (/dav/boot)."
        />
      )}
      {listing?.file && !editable.test(listing.file.name) && (
        <p data-field="file">
          {listing.file.path}: {String(listing.file.size)} bytes, not a text file to edit here.
        </p>
      )}
      {editing && (
        <Editor
          key={editing.path}
          path={editing.path}
          text={editing.text}
          isRules={false}
          onSave={(text) =>
            bofiedApi().writeFile({ area, path: editing.path, content: new TextEncoder().encode(text) }).then(
              refresh,
            )}
          onClose={() => location.hash = filesHref(directory, area)}
        />
      )}
    </section>
  );
}
