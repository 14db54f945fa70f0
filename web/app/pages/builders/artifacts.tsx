import type { Artifact, ArtifactListing } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import type { BootLinks } from "../../components/boot_links.ts";
import { DownloadLink } from "../../components/download_link.tsx";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { formatSize, formatTime, msOf } from "../../format.ts";
import { usePolled } from "../../polled.ts";
import { buildersApi, buildHref, parametersText } from "./api.ts";

/** Where an artifact can be had: this service's copy by digest, and bofied's over HTTP and TFTP. */
export function ArtifactLinks({ artifact, links }: { artifact: Artifact; links: BootLinks | null }) {
  const tftp = artifact.publishedPath && links?.tftp(artifact.publishedPath);
  return (
    <span class="links">
      <DownloadLink path={artifact.downloadPath} fileName={artifact.name.replaceAll("/", "_")}>
        download
      </DownloadLink>
      {artifact.publishedPath && links && (
        <a href={links.http(artifact.publishedPath)} data-link="http">http</a>
      )}
      {tftp && <a href={tftp} data-link="tftp" title="for a TFTP client or a boot loader">tftp</a>}
    </span>
  );
}

/** A build's artifacts: name, boot-tree path when published, SHA-256, size and links. */
export function ArtifactTable(props: { artifacts: Artifact[]; links: BootLinks | null }) {
  const columns: Column<Artifact>[] = [
    {
      key: "name",
      title: "Name",
      sortValue: (a) => a.name,
      render: (a) => (
        <>
          {a.name}
          {a.publishedPath && <small class="muted published">{a.publishedPath}</small>}
          <code class="digest" data-field="sha256" title="SHA-256">{a.sha256}</code>
        </>
      ),
    },
    {
      key: "size",
      title: "Size",
      sortValue: (a) => Number(a.size),
      render: (a) => formatSize(Number(a.size)),
    },
    { key: "links", title: "Get it", render: (a) => <ArtifactLinks artifact={a} links={props.links} /> },
  ];
  return (
    <SortableTable
      label="Artifacts"
      name="artifacts"
      rows={props.artifacts}
      columns={columns}
      rowKey={(a) => a.name}
      rowProps={(a) => ({ "data-artifact": a.name })}
      defaultSort="name"
      empty="This build made no artifacts."
    />
  );
}

/** #/builders/artifacts: every kept artifact with the build and parameters it came from, newest first. */
export function ArtifactsView({ links }: { links: BootLinks | null }) {
  const listed = usePolled(() => buildersApi().listArtifacts({}), 5000);
  const columns: Column<ArtifactListing>[] = [
    {
      key: "name",
      title: "Name",
      sortValue: (l) => l.artifact?.name ?? "",
      render: (l) => l.artifact?.publishedPath || l.artifact?.name,
    },
    {
      key: "build",
      title: "Build",
      sortValue: (l) => l.kind,
      render: (l) => (
        <>
          <a href={buildHref(l.buildId)}>{l.kind}</a>{" "}
          <span class="parameters muted">{parametersText(l.parameters)}</span>
        </>
      ),
    },
    { key: "built", title: "Built", sortValue: (l) => msOf(l.built), render: (l) => formatTime(l.built) },
    {
      key: "size",
      title: "Size",
      sortValue: (l) => Number(l.artifact?.size ?? 0),
      render: (l) => formatSize(Number(l.artifact?.size ?? 0)),
    },
    {
      key: "links",
      title: "Get it",
      render: (l) => l.artifact && <ArtifactLinks artifact={l.artifact} links={links} />,
    },
  ];
  return (
    <section data-view="artifacts" aria-label="Artifacts">
      <SortableTable
        label="All artifacts"
        name="artifacts"
        rows={listed?.artifacts ?? []}
        columns={columns}
        rowKey={(l) => `${l.buildId}/${l.artifact?.name}`}
        rowProps={(l) => ({ "data-artifact": l.artifact?.name, "data-build": l.buildId })}
        empty={listed === null ? "Loading…" : "No artifacts yet: they come from succeeded builds."}
      />
    </section>
  );
}
