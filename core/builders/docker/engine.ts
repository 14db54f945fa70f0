// A small Docker Engine API client over the daemon's unix socket: what builds need (ping, version, the
// BuildKit /build, images, containers, archives) and nothing else. API 1.41 is Debian's docker.io 20.10.
import { type JsonMessage, jsonMessages } from "./json_stream.ts";
import { decodeTraceAux, type TraceUpdate } from "./trace.ts";
import { unixGet } from "./unix_get.ts";

const API = "/v1.41";

export class EngineError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "EngineError";
  }
}

export type BuildEvent =
  | { kind: "trace"; update: TraceUpdate }
  | { kind: "output"; text: string }
  | { kind: "image"; id: string };

export interface BuildOptions {
  /** The image's name; the build's image is removed by name when it is done with. */
  tag: string;
  labels?: Record<string, string>;
  /** BuildKit's name for the build, for cancelBuild. */
  buildId?: string;
  /** Aborting it ends the request, which makes the daemon cancel the build. */
  signal?: AbortSignal;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
}

export interface ImageSummary {
  id: string;
  tags: string[];
  labels: Record<string, string>;
}

export interface ContainerSummary {
  id: string;
  labels: Record<string, string>;
}

export class DockerEngine {
  readonly #client: Deno.HttpClient;

  constructor(readonly socketPath: string) {
    this.#client = Deno.createHttpClient({ proxy: { transport: "unix", path: socketPath } });
  }

  close(): void {
    this.#client.close();
  }

  async ping(signal?: AbortSignal): Promise<boolean> {
    try {
      const response = await this.#request("GET", "/_ping", { signal, versioned: false });
      return (await response.text()) === "OK";
    } catch {
      return false;
    }
  }

  async version(): Promise<EngineVersion> {
    const body = await (await this.#request("GET", "/version")).json();
    return { version: String(body.Version), apiVersion: String(body.ApiVersion) };
  }

  /**
   * Runs a BuildKit build (version=2) of a tar context, streaming its progress. No network inside RUN
   * steps: builds use what the context and base images hold, so they are repeatable. Throws EngineError
   * with the daemon's message when the build fails.
   */
  async *build(context: Uint8Array<ArrayBuffer>, options: BuildOptions): AsyncGenerator<BuildEvent> {
    const query = new URLSearchParams({
      version: "2",
      t: options.tag,
      networkmode: "none",
      rm: "1",
      forcerm: "1",
      labels: JSON.stringify(options.labels ?? {}),
    });
    if (options.buildId) query.set("buildid", options.buildId);
    const response = await this.#request("POST", `/build?${query}`, {
      body: context,
      contentType: "application/x-tar",
      signal: options.signal,
    });
    for await (const message of jsonMessages(response.body!)) {
      const event = buildEvent(message);
      if (event) yield event;
    }
  }

  /** Cancels a running BuildKit build by the buildId it was started with. */
  async cancelBuild(buildId: string): Promise<void> {
    const response = await this.#request("POST", `/build/cancel?id=${encodeURIComponent(buildId)}`, {
      allow: [404, 500],
    });
    await response.body?.cancel();
  }

  /** Empties BuildKit's cache (the next build of anything is cold); returns the bytes freed. */
  async pruneBuildCache(): Promise<number> {
    const body = await (await this.#request("POST", "/build/prune?all=1")).json();
    return Number(body.SpaceReclaimed ?? 0);
  }

  /** Imports a root filesystem tarball as an image (`docker import`), read from a file. */
  async importImage(tarball: string, repository: string, tag: string, signal?: AbortSignal): Promise<void> {
    const file = await Deno.open(tarball);
    const query = new URLSearchParams({ fromSrc: "-", repo: repository, tag });
    const response = await this.#request("POST", `/images/create?${query}`, {
      body: file.readable,
      contentType: "application/x-tar",
      signal,
    });
    for await (const message of jsonMessages(response.body!)) failOn(message);
  }

  async imageExists(name: string): Promise<boolean> {
    const response = await this.#request("GET", `/images/${encodeURIComponent(name)}/json`, { allow: [404] });
    await response.body?.cancel();
    return response.status === 200;
  }

  async listImages(label?: string): Promise<ImageSummary[]> {
    const filters = label ? `?filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}` : "";
    const body = await (await this.#request("GET", `/images/json${filters}`)).json() as {
      Id: string;
      RepoTags: string[] | null;
      Labels: Record<string, string> | null;
    }[];
    return body.map((image) => ({ id: image.Id, tags: image.RepoTags ?? [], labels: image.Labels ?? {} }));
  }

  async removeImage(name: string): Promise<void> {
    const response = await this.#request("DELETE", `/images/${encodeURIComponent(name)}?force=1`, {
      allow: [404],
    });
    await response.body?.cancel();
  }

  /** Creates (never starts) a container, to copy files out of an image. */
  async createContainer(image: string, labels: Record<string, string>): Promise<string> {
    const response = await this.#request("POST", "/containers/create", {
      body: new TextEncoder().encode(JSON.stringify({ Image: image, Cmd: ["/none"], Labels: labels })),
      contentType: "application/json",
    });
    return String((await response.json()).Id);
  }

  async listContainers(label?: string): Promise<ContainerSummary[]> {
    const filters = label ? `&filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}` : "";
    const body = await (await this.#request("GET", `/containers/json?all=1${filters}`)).json() as {
      Id: string;
      Labels: Record<string, string> | null;
    }[];
    return body.map((container) => ({ id: container.Id, labels: container.Labels ?? {} }));
  }

  /** A path of a container as a tar archive (GET /containers/{id}/archive). */
  async archive(container: string, path: string, maxBytes: number): Promise<Uint8Array> {
    const where = `/containers/${encodeURIComponent(container)}/archive`;
    let result;
    try {
      result = await unixGet(this.socketPath, `${API}${where}?path=${encodeURIComponent(path)}`, maxBytes);
    } catch (error) {
      if (error instanceof RangeError) throw new EngineError(413, `docker GET ${where}: ${error.message}`);
      throw error;
    }
    if (result.status === 200) return result.body;
    throw new EngineError(
      result.status,
      `docker GET ${where}: ${errorMessage(new TextDecoder().decode(result.body))}`,
    );
  }

  async removeContainer(container: string): Promise<void> {
    const response = await this.#request(
      "DELETE",
      `/containers/${encodeURIComponent(container)}?force=1&v=1`,
      { allow: [404] },
    );
    await response.body?.cancel();
  }

  async #request(
    method: string,
    path: string,
    options: {
      body?: BodyInit;
      contentType?: string;
      signal?: AbortSignal;
      versioned?: boolean;
      allow?: number[];
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (options.contentType) headers["content-type"] = options.contentType;
    const response = await fetch(`http://docker${options.versioned === false ? "" : API}${path}`, {
      method,
      client: this.#client,
      body: options.body,
      headers,
      signal: options.signal,
    });
    if (response.ok || options.allow?.includes(response.status)) return response;
    throw new EngineError(
      response.status,
      `docker ${method} ${path.split("?")[0]}: ${errorMessage(await response.text())}`,
    );
  }
}

function buildEvent(message: JsonMessage): BuildEvent | undefined {
  failOn(message);
  if (message.id === "moby.buildkit.trace" && typeof message.aux === "string") {
    return { kind: "trace", update: decodeTraceAux(message.aux) };
  }
  if (message.id === "moby.image.id") {
    const id = (message.aux as { ID?: unknown } | undefined)?.ID;
    if (typeof id === "string") return { kind: "image", id };
  }
  if (typeof message.stream === "string") return { kind: "output", text: message.stream };
  return undefined;
}

function failOn(message: JsonMessage): void {
  if (message.error || message.errorDetail?.message) {
    throw new EngineError(500, message.errorDetail?.message ?? message.error ?? "build failed");
  }
}

/** The daemon's error text: the message of its JSON error body, or the plain text it sent. */
function errorMessage(text: string): string {
  try {
    return (JSON.parse(text).message ?? text).trim();
  } catch {
    return text.trim();
  }
}
