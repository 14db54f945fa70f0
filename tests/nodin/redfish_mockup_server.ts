/**
 * A FAKE Redfish service for tests: it serves DMTF's public rack-mount mockup (core/nodin/power/redfish/
 * testdata) the way DMTF's Redfish-Mockup-Server does — GET returns the stored resource without its
 * @Redfish.Copyright, PATCH merges into it, DELETE removes a collection member — and, beyond DMTF's server,
 * behaves like a BMC where nodin's driver depends on it: ComputerSystem.Reset checks the ResetType against
 * the allowed values and changes PowerState; PATCH of Boot checks the override values; sessions are created
 * and checked (X-Auth-Token) next to Basic auth; every resource carries an ETag, and If-Match can be
 * required. Not a Redfish implementation: only what the power tests exercise.
 */

const DATA_DIR = new URL("../../core/nodin/power/redfish/testdata/public-rackmount1/", import.meta.url);

type Json = Record<string, unknown>;

export interface MockupOptions {
  username: string;
  password: string;
  /** PATCH without If-Match gets 428, as services that demand it answer. */
  requireIfMatch?: boolean;
}

export interface MockupRequest {
  method: string;
  path: string;
  /** "basic", "session", or "none". */
  auth: string;
  body?: unknown;
  ifMatch?: string;
}

export class RedfishMockupServer implements AsyncDisposable {
  readonly #resources = new Map<string, Json>();
  readonly #versions = new Map<string, number>();
  readonly #sessions = new Map<string, string>(); // token -> session path
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #options: MockupOptions;
  readonly #staleAfterGet = new Set<string>();
  /** Every request, in order, for tests to check what a client sent. */
  readonly requests: MockupRequest[] = [];
  #nextSession = 1;

  private constructor(options: MockupOptions) {
    this.#options = options;
    this.#load(DATA_DIR, "/redfish/v1");
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#handle(request),
    );
  }

  static start(options: MockupOptions): RedfishMockupServer {
    return new RedfishMockupServer(options);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  get port(): number {
    return this.#server.addr.port;
  }

  /** The stored resource (a live reference: tests may change it, as a BMC's own state changes). */
  resource(path: string): Json {
    const resource = this.#resources.get(normalize(path));
    if (resource === undefined) throw new Error(`mockup has no ${path}`);
    return resource;
  }

  /** Marks a resource changed by someone else (its ETag moves on). */
  touch(path: string): void {
    this.#versions.set(normalize(path), (this.#versions.get(normalize(path)) ?? 1) + 1);
  }

  /** The next GET of `path` answers with an ETag that is stale at once, as when another client writes. */
  staleAfterNextGet(path: string): void {
    this.#staleAfterGet.add(normalize(path));
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#server.shutdown();
  }

  #load(dir: URL, path: string): void {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) this.#load(new URL(`${entry.name}/`, dir), `${path}/${entry.name}`);
      else if (entry.name === "index.json") {
        const resource = JSON.parse(Deno.readTextFileSync(new URL(entry.name, dir))) as Json;
        delete resource["@Redfish.Copyright"];
        this.#resources.set(path, resource);
        this.#versions.set(path, 1);
      }
    }
  }

  #etag(path: string): string {
    return `W/"${this.#versions.get(path) ?? 1}"`;
  }

  #authOf(request: Request): string | undefined {
    const token = request.headers.get("X-Auth-Token");
    if (token !== null) return this.#sessions.has(token) ? "session" : undefined;
    const header = request.headers.get("Authorization");
    if (header?.startsWith("Basic ")) {
      const decoded = new TextDecoder().decode(
        Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0)),
      );
      return decoded === `${this.#options.username}:${this.#options.password}` ? "basic" : undefined;
    }
    return undefined;
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = normalize(url.pathname);
    const text = await request.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      return error(400, "Base.1.0.MalformedJSON", "The request body submitted was malformed JSON.");
    }
    const auth = this.#authOf(request);
    this.requests.push({
      method: request.method,
      path,
      auth: auth ??
        (request.headers.has("X-Auth-Token") || request.headers.has("Authorization") ? "bad" : "none"),
      body,
      ifMatch: request.headers.get("If-Match") ?? undefined,
    });

    // The service root and the version document are readable without credentials (DSP0266), and so is
    // the login itself.
    if (request.method === "GET" && path === "/redfish") return json(200, { v1: "/redfish/v1/" });
    if (request.method === "GET" && path === "/redfish/v1") return this.#get(path);
    if (request.method === "POST" && path === "/redfish/v1/SessionService/Sessions") return this.#login(body);
    if (auth === undefined) {
      return error(
        401,
        "Base.1.0.NoValidSession",
        "There is no valid session established with the implementation.",
        {
          "WWW-Authenticate": 'Basic realm="Redfish"',
        },
      );
    }
    switch (request.method) {
      case "GET":
        return this.#get(path);
      case "PATCH":
        return this.#patch(path, body, request.headers.get("If-Match"));
      case "POST":
        return this.#post(path, body);
      case "DELETE":
        return this.#delete(path);
      default:
        return error(405, "Base.1.0.OperationNotAllowed", `${request.method} is not allowed here.`);
    }
  }

  #get(path: string): Response {
    const resource = this.#resources.get(path);
    if (resource === undefined) return error(404, "Base.1.0.ResourceMissingAtURI", `${path} not found.`);
    const response = json(200, resource, { ETag: this.#etag(path) });
    if (this.#staleAfterGet.delete(path)) this.touch(path);
    return response;
  }

  #login(body: unknown): Response {
    const credentials = body as { UserName?: unknown; Password?: unknown } | undefined;
    if (
      credentials?.UserName !== this.#options.username || credentials?.Password !== this.#options.password
    ) {
      return error(401, "Base.1.0.ResourceAtUriUnauthorized", "Invalid username or password.");
    }
    const id = `mockup${this.#nextSession++}`;
    const token = crypto.randomUUID();
    const path = `/redfish/v1/SessionService/Sessions/${id}`;
    const session = {
      "@odata.type": "#Session.v1_6_0.Session",
      "@odata.id": path,
      Id: id,
      Name: "User Session",
      UserName: this.#options.username,
    };
    this.#resources.set(path, session);
    this.#addMember("/redfish/v1/SessionService/Sessions", path);
    this.#sessions.set(token, path);
    return json(201, session, { "X-Auth-Token": token, Location: path });
  }

  #patch(path: string, body: unknown, ifMatch: string | null): Response {
    const resource = this.#resources.get(path);
    if (resource === undefined) return error(404, "Base.1.0.ResourceMissingAtURI", `${path} not found.`);
    if (Array.isArray(resource.Members)) {
      return error(405, "Base.1.0.OperationNotAllowed", "Collections cannot be patched.");
    }
    if (!isObject(body)) return error(400, "Base.1.0.MalformedJSON", "PATCH needs a JSON object.");
    if (ifMatch === null && this.#options.requireIfMatch) {
      return error(428, "Base.1.0.PreconditionRequired", "This service requires If-Match on PATCH.");
    }
    if (ifMatch !== null && ifMatch !== "*" && ifMatch !== this.#etag(path)) {
      return error(412, "Base.1.0.PreconditionFailed", "The ETag supplied did not match the ETag required.");
    }
    const invalid = invalidBootValue(resource, body);
    if (invalid !== undefined) return error(400, "Base.1.0.PropertyValueNotInList", invalid);
    merge(resource, body);
    this.touch(path);
    return new Response(null, { status: 204 });
  }

  #post(path: string, body: unknown): Response {
    const match = /^(.*)\/Actions\/ComputerSystem\.Reset$/.exec(path);
    if (match === null) return error(404, "Base.1.0.ResourceMissingAtURI", `${path} is no action here.`);
    const system = this.#resources.get(match[1]);
    const action = isObject(system?.Actions) ? system.Actions["#ComputerSystem.Reset"] : undefined;
    if (system === undefined || !isObject(action) || action.target !== path) {
      return error(404, "Base.1.0.ResourceMissingAtURI", `${path} is no action here.`);
    }
    const resetType = isObject(body) ? body.ResetType : undefined;
    const allowed = action["ResetType@Redfish.AllowableValues"] as string[];
    if (typeof resetType !== "string" || !allowed.includes(resetType)) {
      return error(
        400,
        "Base.1.0.ActionParameterValueNotInList",
        `The value ${
          JSON.stringify(resetType)
        } for the parameter ResetType is not in the list of acceptable values.`,
      );
    }
    system.PowerState = powerAfter(resetType, system.PowerState as string);
    this.touch(match[1]);
    return new Response(null, { status: 204 });
  }

  #delete(path: string): Response {
    if (!this.#resources.has(path)) return error(404, "Base.1.0.ResourceMissingAtURI", `${path} not found.`);
    const parent = path.slice(0, path.lastIndexOf("/"));
    const collection = this.#resources.get(parent);
    if (!Array.isArray(collection?.Members)) {
      return error(405, "Base.1.0.OperationNotAllowed", "Not a member.");
    }
    this.#resources.delete(path);
    collection.Members = (collection.Members as Json[]).filter((member) => member["@odata.id"] !== path);
    collection["Members@odata.count"] = (collection.Members as Json[]).length;
    for (const [token, session] of this.#sessions) if (session === path) this.#sessions.delete(token);
    return new Response(null, { status: 204 });
  }

  #addMember(collectionPath: string, memberPath: string): void {
    const collection = this.#resources.get(collectionPath)!;
    (collection.Members as Json[]).push({ "@odata.id": memberPath });
    collection["Members@odata.count"] = (collection.Members as Json[]).length;
  }
}

/** What a real system's power does after each reset type. */
function powerAfter(resetType: string, before: string): string {
  switch (resetType) {
    case "On":
    case "ForceOn":
    case "ForceRestart":
    case "GracefulRestart":
    case "PowerCycle":
      return "On";
    case "ForceOff":
    case "GracefulShutdown":
      return "Off";
    case "PushPowerButton":
      return before === "On" ? "Off" : "On";
    default:
      return before;
  }
}

const BOOT_ENABLED = ["Disabled", "Once", "Continuous"];
const BOOT_MODES = ["UEFI", "Legacy"];

function invalidBootValue(resource: Json, patch: Json): string | undefined {
  if (!isObject(patch.Boot)) return undefined;
  const boot = patch.Boot;
  const stored = isObject(resource.Boot) ? resource.Boot : {};
  const targets = stored["BootSourceOverrideTarget@Redfish.AllowableValues"] as string[] | undefined;
  const checks: [string, unknown, string[] | undefined][] = [
    ["BootSourceOverrideTarget", boot.BootSourceOverrideTarget, targets],
    ["BootSourceOverrideEnabled", boot.BootSourceOverrideEnabled, BOOT_ENABLED],
    ["BootSourceOverrideMode", boot.BootSourceOverrideMode, BOOT_MODES],
  ];
  for (const [name, value, allowed] of checks) {
    if (value !== undefined && allowed !== undefined && !allowed.includes(value as string)) {
      return `The value ${
        JSON.stringify(value)
      } for the property ${name} is not in the list of acceptable values.`;
    }
  }
  return undefined;
}

function normalize(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function merge(target: Json, patch: Json): void {
  for (const [key, value] of Object.entries(patch)) {
    if (isObject(value) && isObject(target[key])) merge(target[key] as Json, value);
    else target[key] = value;
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 4), {
    status,
    headers: { "Content-Type": "application/json", "OData-Version": "4.0", ...headers },
  });
}

function error(
  status: number,
  messageId: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, {
    error: {
      code: messageId,
      message,
      "@Message.ExtendedInfo": [{
        "@odata.type": "#Message.v1_1_1.Message",
        MessageId: messageId,
        Message: message,
      }],
    },
  }, headers);
}
