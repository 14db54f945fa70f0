/**
 * A FAKE of Google Compute Engine's v1 REST API and Google's OAuth token endpoint, for tests. It serves
 * what gcloud and our provider use — projects.get, zones.get, instances list/aggregatedList/get/insert/
 * start/stop/reset/delete, zoneOperations get/wait — with the resource shapes of the compute v1 discovery
 * document (as gcloud's generated compute_v1_messages carries it): Instance status PROVISIONING → STAGING →
 * RUNNING, STOPPING → TERMINATED, Operations PENDING → RUNNING → DONE over time, errors as
 * {"error": {"code", "message", "errors": [{"reason"}]}}. The token endpoint takes the RFC 7523 JWT
 * bearer grant and checks the assertion's RS256 signature against the service account's public key;
 * with `requireToken` every compute call needs a token it issued. gcloud checks this fake in
 * tests/nodin/gce_fake_test.ts. Loopback only.
 */
import { fromBase64Url } from "../../../core/nodin/clouds/gce/jwt.ts";
import { type FakeServer, Injections, serveLoopback } from "./fake_http.ts";

interface FakeInstance {
  resource: Record<string, unknown>;
  zone: string;
  status: string;
  since: number;
}

interface FakeOperation {
  resource: Record<string, unknown>;
  zone: string;
  doneAt: number;
  /** Applied once, when the operation is DONE. */
  finish: () => void;
  finished: boolean;
}

export interface GceFakeOptions {
  project?: string;
  zones?: string[];
  /** Service-account email → its RSA public key (SPKI); tokens are issued only to these. */
  accounts?: Record<string, CryptoKey>;
  /** Compute calls without a token from /token get 401 (gcloud with disabled credentials sends none). */
  requireToken?: boolean;
  /** How long operations (and the instance transitions behind them) take. */
  operationMs?: number;
}

const jsonHeaders = { "content-type": "application/json; charset=UTF-8" };

export class GceFakeServer implements FakeServer {
  readonly url: string;
  readonly port: number;
  readonly apiBase: string;
  readonly tokenUrl: string;
  readonly log: string[] = [];
  readonly inject = new Injections();
  readonly instances = new Map<string, FakeInstance>();
  readonly issuedTokens = new Set<string>();
  private readonly operations = new Map<string, FakeOperation>();
  private readonly server: Deno.HttpServer<Deno.NetAddr>;
  private readonly project: string;
  private readonly zones: string[];
  private readonly operationMs: number;
  private counter = 0;

  constructor(private readonly options: GceFakeOptions = {}) {
    this.project = options.project ?? "fake-project";
    this.zones = options.zones ?? ["europe-west1-b"];
    this.operationMs = options.operationMs ?? 400;
    const { server, port } = serveLoopback((request) => this.handle(request));
    this.server = server;
    this.port = port;
    this.url = `http://127.0.0.1:${port}/`;
    this.apiBase = `${this.url}compute/v1/`;
    this.tokenUrl = `${this.url}token`;
  }

  async close() {
    await this.server.shutdown();
  }

  /** Adds an instance as if made earlier. */
  seed(zone: string, name: string, status = "RUNNING", labels: Record<string, string> = {}) {
    const instance = this.newInstance(zone, {
      name,
      machineType: `zones/${zone}/machineTypes/e2-small`,
      labels,
    });
    instance.status = status;
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    this.log.push(`${request.method} ${url.pathname}`);
    if (url.pathname === "/token" && request.method === "POST") return this.token(await request.text());
    const injected = this.inject.take();
    if (injected) {
      return this.error(
        injected.status,
        injected.status === 429 ? "rateLimitExceeded" : "backendError",
        "Injected.",
        injected.headers,
      );
    }
    if (this.options.requireToken) {
      const bearer = request.headers.get("authorization")?.match(/^Bearer (.+)$/)?.[1];
      if (!bearer || !this.issuedTokens.has(bearer)) {
        return this.error(
          401,
          "authError",
          "Request had invalid authentication credentials.",
          {},
          "UNAUTHENTICATED",
        );
      }
    }
    const base = `/compute/v1/projects/${this.project}`;
    if (!url.pathname.startsWith("/compute/v1/projects/")) {
      return this.error(404, "notFound", `No route ${url.pathname}`);
    }
    if (!url.pathname.startsWith(base + "/") && url.pathname !== base) {
      return this.error(
        404,
        "notFound",
        `The resource 'projects/${url.pathname.split("/")[4]}' was not found`,
      );
    }
    const rest = url.pathname.slice(base.length).split("/").filter(Boolean).map(decodeURIComponent);
    const body = request.method === "POST" ? await request.text() : "";
    this.advance();
    if (rest.length === 0 && request.method === "GET") return this.json(this.projectResource());
    if (rest[0] === "aggregated" && rest[1] === "instances" && request.method === "GET") {
      return this.aggregated();
    }
    if (rest[0] !== "zones" || !rest[1]) return this.error(404, "notFound", `No route ${url.pathname}`);
    const zone = rest[1];
    if (!this.zones.includes(zone)) {
      return this.error(
        404,
        "notFound",
        `The resource 'projects/${this.project}/zones/${zone}' was not found`,
      );
    }
    const route = `${request.method} ${rest.slice(2).map((part, i) => i % 2 === 1 ? "*" : part).join("/")}`;
    switch (route) {
      case "GET ":
        return this.json(this.zoneResource(zone));
      case "GET instances":
        return this.list(zone, url.searchParams);
      case "POST instances":
        return this.insert(zone, body);
      case "GET instances/*":
        return this.withInstance(zone, rest[3], (instance) => this.json(this.instanceResource(instance)));
      case "DELETE instances/*":
        return this.withInstance(zone, rest[3], (instance) => this.remove(instance));
      case "POST instances/*/start":
      case "POST instances/*/stop":
      case "POST instances/*/reset":
        return this.withInstance(zone, rest[3], (instance) => this.powerChange(instance, rest[4]));
      case "GET operations/*":
        return this.operation(zone, rest[3], false);
      case "POST operations/*/wait":
        return this.operation(zone, rest[3], true);
      default:
        return this.error(404, "notFound", `No route ${request.method} ${url.pathname}`);
    }
  }

  /** RFC 7523: a JWT signed by a known account, for this endpoint, fresh, asking a scope. */
  private async token(form: string): Promise<Response> {
    const params = new URLSearchParams(form);
    const refuse = (description: string) =>
      new Response(JSON.stringify({ error: "invalid_grant", error_description: description }), {
        status: 400,
        headers: jsonHeaders,
      });
    if (params.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return new Response(JSON.stringify({ error: "unsupported_grant_type" }), {
        status: 400,
        headers: jsonHeaders,
      });
    }
    const parts = (params.get("assertion") ?? "").split(".");
    if (parts.length !== 3) return refuse("Invalid JWT.");
    let header: Record<string, unknown>, claims: Record<string, unknown>;
    try {
      header = JSON.parse(new TextDecoder().decode(fromBase64Url(parts[0])));
      claims = JSON.parse(new TextDecoder().decode(fromBase64Url(parts[1])));
    } catch {
      return refuse("Invalid JWT.");
    }
    const key = this.options.accounts?.[String(claims.iss)];
    if (header.alg !== "RS256" || !key) return refuse("Invalid grant: account not found");
    const valid = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      fromBase64Url(parts[2]),
      new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
    );
    if (!valid) return refuse("Invalid JWT Signature.");
    const now = Date.now() / 1000;
    // Google wants its own token URL as the audience wherever the assertion is posted (google-auth does so).
    if (claims.aud !== "https://oauth2.googleapis.com/token") {
      return refuse(`Invalid JWT: audience ${claims.aud}`);
    }
    if (
      typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp <= now ||
      claims.iat > now + 300 || claims.exp - claims.iat > 3600
    ) {
      return refuse(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.",
      );
    }
    if (typeof claims.scope !== "string" || !claims.scope) return refuse("Invalid scope");
    const token = `ya29.fake-${crypto.randomUUID()}`;
    this.issuedTokens.add(token);
    return new Response(JSON.stringify({ access_token: token, expires_in: 3599, token_type: "Bearer" }), {
      headers: jsonHeaders,
    });
  }

  private list(zone: string, query: URLSearchParams): Response {
    const all = [...this.instances.values()].filter((instance) => instance.zone === zone);
    const size = Math.min(Number(query.get("maxResults") ?? 500), 500);
    if (!Number.isInteger(size) || size < 0) {
      return this.error(400, "invalid", "Invalid value for field 'maxResults'");
    }
    const start = query.get("pageToken") ? Number(atob(query.get("pageToken")!)) : 0;
    if (!Number.isInteger(start)) return this.error(400, "invalid", "Invalid value for field 'pageToken'");
    const page = all.slice(start, start + size);
    return this.json({
      kind: "compute#instanceList",
      id: `projects/${this.project}/zones/${zone}/instances`,
      items: page.map((instance) => this.instanceResource(instance)),
      ...(start + size < all.length ? { nextPageToken: btoa(String(start + size)) } : {}),
      selfLink: `${this.apiBase}projects/${this.project}/zones/${zone}/instances`,
    });
  }

  private aggregated(): Response {
    const items: Record<string, unknown> = {};
    for (const zone of this.zones) {
      const instances = [...this.instances.values()].filter((instance) => instance.zone === zone);
      items[`zones/${zone}`] = instances.length > 0
        ? { instances: instances.map((instance) => this.instanceResource(instance)) }
        : {
          warning: {
            code: "NO_RESULTS_ON_PAGE",
            message: "There are no results for scope 'zones/" + zone + "' on this page.",
          },
        };
    }
    return this.json({
      kind: "compute#instanceAggregatedList",
      id: `projects/${this.project}/aggregated/instances`,
      items,
    });
  }

  private insert(zone: string, text: string): Response {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      return this.error(400, "parseError", "This API does not support parsing form-encoded input.");
    }
    const name = String(body.name ?? "");
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
      return this.error(
        400,
        "invalid",
        `Invalid value for field 'resource.name': '${name}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
      );
    }
    if (!body.machineType) {
      return this.error(400, "required", "Required field 'resource.machineType' not specified");
    }
    if (this.instances.has(`${zone}/${name}`)) {
      return this.error(
        409,
        "alreadyExists",
        `The resource 'projects/${this.project}/zones/${zone}/instances/${name}' already exists`,
      );
    }
    const instance = this.newInstance(zone, body);
    instance.status = "PROVISIONING";
    return this.startOperation(zone, "insert", instance, () => {
      instance.status = "RUNNING";
      instance.resource.lastStartTimestamp = rfc3339(new Date());
    });
  }

  private powerChange(instance: FakeInstance, verb: string): Response {
    if (verb === "start") {
      if (instance.status === "TERMINATED") instance.status = "STAGING";
      return this.startOperation(instance.zone, "start", instance, () => instance.status = "RUNNING");
    }
    if (verb === "stop") {
      if (instance.status === "RUNNING" || instance.status === "STAGING") instance.status = "STOPPING";
      return this.startOperation(instance.zone, "stop", instance, () => instance.status = "TERMINATED");
    }
    if (instance.status !== "RUNNING") {
      return this.startOperation(instance.zone, "reset", instance, () => {}, {
        code: "RESOURCE_NOT_READY",
        message:
          `The resource 'projects/${this.project}/zones/${instance.zone}/instances/${instance.resource.name}' is not ready`,
      });
    }
    return this.startOperation(instance.zone, "reset", instance, () => {});
  }

  private remove(instance: FakeInstance): Response {
    instance.status = "STOPPING";
    return this.startOperation(
      instance.zone,
      "delete",
      instance,
      () => this.instances.delete(`${instance.zone}/${instance.resource.name}`),
    );
  }

  private startOperation(
    zone: string,
    type: string,
    instance: FakeInstance,
    finish: () => void,
    failure?: { code: string; message: string },
  ): Response {
    const id = this.nextId();
    const name = `operation-${Date.now()}-${id}`;
    const resource: Record<string, unknown> = {
      kind: "compute#operation",
      id,
      name,
      zone: `${this.apiBase}projects/${this.project}/zones/${zone}`,
      operationType: type,
      targetLink: this.instanceLink(instance),
      targetId: instance.resource.id,
      status: "PENDING",
      user: "fake@example.iam.gserviceaccount.com",
      progress: 0,
      insertTime: rfc3339(new Date()),
      selfLink: `${this.apiBase}projects/${this.project}/zones/${zone}/operations/${name}`,
    };
    if (failure) {
      Object.assign(resource, {
        error: { errors: [failure] },
        httpErrorStatusCode: 400,
        httpErrorMessage: "BAD REQUEST",
      });
    }
    this.operations.set(`${zone}/${name}`, {
      resource,
      zone,
      doneAt: Date.now() + this.operationMs,
      finish,
      finished: false,
    });
    return this.json(resource);
  }

  private async operation(zone: string, name: string, wait: boolean): Promise<Response> {
    const operation = this.operations.get(`${zone}/${name}`);
    if (!operation) {
      return this.error(
        404,
        "notFound",
        `The resource 'projects/${this.project}/zones/${zone}/operations/${name}' was not found`,
      );
    }
    if (wait) {
      const delay = Math.max(0, Math.min(operation.doneAt - Date.now(), 30_000));
      await new Promise((resolve) => setTimeout(resolve, delay));
      this.advance();
    }
    return this.json(operation.resource);
  }

  /** Moves operations and instances on with time. */
  private advance() {
    const now = Date.now();
    for (const operation of this.operations.values()) {
      if (operation.finished) continue;
      if (now >= operation.doneAt) {
        operation.finish();
        operation.finished = true;
        Object.assign(operation.resource, { status: "DONE", progress: 100, endTime: rfc3339(new Date()) });
      } else {
        operation.resource.status = "RUNNING";
        operation.resource.startTime ??= rfc3339(new Date());
      }
    }
    for (const instance of this.instances.values()) {
      if (instance.status === "PROVISIONING" && now - instance.since > this.operationMs / 2) {
        instance.status = "STAGING";
      }
    }
  }

  private withInstance(zone: string, name: string, fn: (instance: FakeInstance) => Response): Response {
    const instance = this.instances.get(`${zone}/${name}`);
    if (!instance) {
      return this.error(
        404,
        "notFound",
        `The resource 'projects/${this.project}/zones/${zone}/instances/${name}' was not found`,
      );
    }
    return fn(instance);
  }

  private newInstance(zone: string, body: Record<string, unknown>): FakeInstance {
    const n = ++this.counter;
    const name = String(body.name);
    const disks = (body.disks as Record<string, unknown>[] | undefined) ?? [{ boot: true }];
    const resource: Record<string, unknown> = {
      kind: "compute#instance",
      id: this.nextId(),
      creationTimestamp: rfc3339(new Date()),
      name,
      description: String(body.description ?? ""),
      tags: { fingerprint: "42WmSpB8rSM=" },
      machineType: this.absolute(String(body.machineType), zone),
      canIpForward: false,
      networkInterfaces: [{
        kind: "compute#networkInterface",
        network: `${this.apiBase}projects/${this.project}/global/networks/default`,
        subnetwork: `${this.apiBase}projects/${this.project}/regions/${
          zone.replace(/-[a-z]$/, "")
        }/subnetworks/default`,
        networkIP: `10.132.0.${n}`,
        name: "nic0",
        accessConfigs: [{
          kind: "compute#accessConfig",
          type: "ONE_TO_ONE_NAT",
          name: "External NAT",
          natIP: `203.0.113.${n}`,
          networkTier: "PREMIUM",
        }],
        fingerprint: "mm3vL1ZiNPQ=",
        stackType: "IPV4_ONLY",
      }],
      disks: disks.map((disk, index) => ({
        kind: "compute#attachedDisk",
        type: "PERSISTENT",
        mode: "READ_WRITE",
        source: `${this.apiBase}projects/${this.project}/zones/${zone}/disks/${name}${
          index ? `-${index}` : ""
        }`,
        deviceName: index ? `persistent-disk-${index}` : name,
        index,
        boot: Boolean(disk.boot),
        autoDelete: disk.autoDelete !== false,
        licenses: [`${this.apiBase}projects/debian-cloud/global/licenses/debian-12-bookworm`],
        interface: "SCSI",
        diskSizeGb: "10",
        architecture: "X86_64",
      })),
      metadata: { kind: "compute#metadata", fingerprint: "cOa0Ym1pS6c=", ...(body.metadata as object ?? {}) },
      selfLink: "",
      scheduling: {
        onHostMaintenance: "MIGRATE",
        automaticRestart: true,
        preemptible: false,
        provisioningModel: "STANDARD",
      },
      cpuPlatform: "Intel Broadwell",
      labels: body.labels ?? {},
      labelFingerprint: "42WmSpB8rSM=",
      startRestricted: false,
      deletionProtection: false,
      fingerprint: "sKtrNv9Hy-c=",
      lastStartTimestamp: rfc3339(new Date()),
    };
    const instance: FakeInstance = { resource, zone, status: "PROVISIONING", since: Date.now() };
    resource.selfLink = this.instanceLink(instance);
    this.instances.set(`${zone}/${name}`, instance);
    return instance;
  }

  private instanceResource(instance: FakeInstance): Record<string, unknown> {
    return {
      ...instance.resource,
      status: instance.status,
      zone: `${this.apiBase}projects/${this.project}/zones/${instance.zone}`,
    };
  }

  private instanceLink(instance: FakeInstance): string {
    return `${this.apiBase}projects/${this.project}/zones/${instance.zone}/instances/${instance.resource.name}`;
  }

  /** A partial URL ("zones/z/machineTypes/e2-small") made absolute as the API stores it. */
  private absolute(link: string, _zone: string): string {
    if (/^https?:\/\//.test(link)) return link;
    if (link.startsWith("projects/")) return `${this.apiBase}${link}`;
    return `${this.apiBase}projects/${this.project}/${link}`;
  }

  private projectResource() {
    return {
      kind: "compute#project",
      id: "1000000000000000001",
      name: this.project,
      creationTimestamp: "2020-01-01T00:00:00.000-07:00",
      commonInstanceMetadata: { kind: "compute#metadata", fingerprint: "cOa0Ym1pS6c=" },
      defaultServiceAccount: "123-compute@developer.gserviceaccount.com",
      xpnProjectStatus: "UNSPECIFIED_XPN_PROJECT_STATUS",
      defaultNetworkTier: "PREMIUM",
      selfLink: `${this.apiBase}projects/${this.project}`,
    };
  }

  private zoneResource(zone: string) {
    const region = zone.replace(/-[a-z]$/, "");
    return {
      kind: "compute#zone",
      id: "2000",
      creationTimestamp: "1969-12-31T16:00:00.000-08:00",
      name: zone,
      description: zone,
      status: "UP",
      region: `${this.apiBase}projects/${this.project}/regions/${region}`,
      selfLink: `${this.apiBase}projects/${this.project}/zones/${zone}`,
      availableCpuPlatforms: ["Intel Broadwell"],
      supportsPzs: false,
    };
  }

  private nextId(): string {
    return String(5_000_000_000_000_000_000n + BigInt(++this.counter));
  }

  private json(body: unknown): Response {
    return new Response(JSON.stringify(body), { headers: jsonHeaders });
  }

  private error(
    status: number,
    reason: string,
    message: string,
    headers: Record<string, string> = {},
    grpcStatus?: string,
  ) {
    return new Response(
      JSON.stringify({
        error: {
          code: status,
          message,
          errors: [{ message, domain: "global", reason }],
          ...(grpcStatus ? { status: grpcStatus } : {}),
        },
      }),
      { status, headers: { ...jsonHeaders, ...headers } },
    );
  }
}

function rfc3339(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}
