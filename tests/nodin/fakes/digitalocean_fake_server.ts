/**
 * A FAKE of DigitalOcean's API v2 for tests: droplets list (page/per_page with links.pages and
 * meta.total, tag_name), create, get and delete; droplet actions (power_on, power_off, shutdown,
 * power_cycle) that stay "in-progress" for a while and then complete; actions by id. Shapes follow
 * DigitalOcean's published API description (Droplet with networks.v4/v6, region, size, image; errors as
 * {"id", "message"}; RateLimit-* headers). Paths take an optional trailing slash, as the API does and as
 * python-digitalocean sends them. python3-digitalocean checks this fake in
 * tests/nodin/digitalocean_fake_test.ts. Loopback only.
 */
import { type FakeServer, Injections, serveLoopback } from "./fake_http.ts";

interface FakeDroplet {
  droplet: Record<string, unknown> & { id: number; status: string; name: string };
  since: number;
}

interface FakeAction {
  action: Record<string, unknown> & { id: number; status: string; type: string };
  doneAt: number;
  finish: () => void;
}

export interface DigitalOceanFakeOptions {
  /** The only token accepted. */
  token?: string;
  /** How long actions (and a new droplet's boot) take. */
  actionMs?: number;
}

const jsonHeaders = { "content-type": "application/json; charset=utf-8" };
const regions = ["ams3", "fra1", "nyc3", "sfo3"];

export class DigitalOceanFakeServer implements FakeServer {
  readonly url: string;
  readonly port: number;
  readonly apiBase: string;
  readonly log: string[] = [];
  readonly inject = new Injections();
  readonly droplets = new Map<number, FakeDroplet>();
  private readonly actions = new Map<number, FakeAction>();
  private readonly server: Deno.HttpServer<Deno.NetAddr>;
  private readonly token: string;
  private readonly actionMs: number;
  private nextId = 3_000_000;
  private remaining = 5000;

  constructor(options: DigitalOceanFakeOptions = {}) {
    this.token = options.token ?? "dop_v1_fake";
    this.actionMs = options.actionMs ?? 300;
    const { server, port } = serveLoopback((request) => this.handle(request));
    this.server = server;
    this.port = port;
    this.url = `http://127.0.0.1:${port}/`;
    this.apiBase = `${this.url}v2/`;
  }

  async close() {
    await this.server.shutdown();
  }

  /** Adds a droplet as if made earlier. */
  seed(name: string, status = "active", tags: string[] = []): number {
    const droplet = this.newDroplet({
      name,
      region: "ams3",
      size: "s-1vcpu-1gb",
      image: "debian-12-x64",
      tags,
    });
    droplet.droplet.status = status;
    return droplet.droplet.id;
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    this.log.push(`${request.method} ${url.pathname.replace(/\/$/, "")}`);
    const injected = this.inject.take();
    if (injected) {
      return this.error(
        injected.status,
        injected.status === 429 ? "too_many_requests" : "server_error",
        injected.status === 429 ? "API Rate limit exceeded." : "Server Error",
        injected.headers,
      );
    }
    if (request.headers.get("authorization") !== `Bearer ${this.token}`) {
      return this.error(401, "unauthorized", "Unable to authenticate you.");
    }
    this.remaining--;
    this.advance();
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] !== "v2") return this.notFound();
    const route = `${request.method} ${
      parts.slice(1).map((part) => /^\d+$/.test(part) ? "#" : part).join("/")
    }`;
    const id = Number(parts[2]);
    switch (route) {
      case "GET droplets":
        return this.list(url);
      case "POST droplets":
        return this.create(await request.text());
      case "GET droplets/#":
        return this.withDroplet(id, (droplet) => this.json({ droplet: droplet.droplet }));
      case "DELETE droplets/#":
        return this.withDroplet(id, () => {
          this.droplets.delete(id);
          return new Response(null, { status: 204, headers: this.rateHeaders() });
        });
      case "POST droplets/#/actions":
        return this.withDroplet(id, async (droplet) => this.act(droplet, await request.text()));
      case "GET droplets/#/actions":
        return this.withDroplet(id, () => {
          const actions = [...this.actions.values()].filter((action) => action.action.resource_id === id);
          return this.json({
            actions: actions.map((action) => action.action),
            links: {},
            meta: { total: actions.length },
          });
        });
      case "GET droplets/#/actions/#":
      case "GET actions/#": {
        const action = this.actions.get(Number(parts.at(-1)));
        return action ? this.json({ action: action.action }) : this.notFound();
      }
      default:
        return this.notFound();
    }
  }

  private list(url: URL): Response {
    const perPage = Number(url.searchParams.get("per_page") ?? 20);
    const page = Number(url.searchParams.get("page") ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200 || !Number.isInteger(page) || page < 1) {
      return this.error(400, "bad_request", "per_page must be 1 to 200 and page at least 1");
    }
    const tag = url.searchParams.get("tag_name");
    const all = [...this.droplets.values()].filter((droplet) =>
      !tag || (droplet.droplet.tags as string[]).includes(tag)
    );
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number) => {
      const target = new URL(`${this.apiBase}droplets`);
      target.searchParams.set("page", String(n));
      target.searchParams.set("per_page", String(perPage));
      if (tag) target.searchParams.set("tag_name", tag);
      return target.toString();
    };
    const pages: Record<string, string> = {};
    if (page > 1) Object.assign(pages, { first: link(1), prev: link(page - 1) });
    if (page < last) Object.assign(pages, { next: link(page + 1), last: link(last) });
    return this.json({
      droplets: all.slice((page - 1) * perPage, page * perPage).map((droplet) => droplet.droplet),
      links: Object.keys(pages).length ? { pages } : {},
      meta: { total: all.length },
    });
  }

  private create(text: string): Response {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      return this.error(400, "bad_request", "unexpected end of JSON input");
    }
    for (const field of ["name", "region", "size", "image"]) {
      if (!body[field]) return this.error(422, "unprocessable_entity", `You must specify ${field}.`);
    }
    if (!/^[a-zA-Z0-9.-]{1,255}$/.test(String(body.name))) {
      return this.error(
        422,
        "unprocessable_entity",
        "Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)",
      );
    }
    if (!regions.includes(String(body.region))) {
      return this.error(422, "unprocessable_entity", "Region is not available");
    }
    for (const tag of (body.tags as string[] | null) ?? []) {
      if (!/^[A-Za-z0-9_\-:]{1,255}$/.test(tag)) {
        return this.error(422, "unprocessable_entity", `invalid tag name: ${tag}`);
      }
    }
    const droplet = this.newDroplet(body);
    const action = this.newAction(droplet, "create", () => droplet.droplet.status = "active");
    return this.json({
      droplet: droplet.droplet,
      links: { actions: [{ id: action.id, rel: "create", href: `${this.apiBase}actions/${action.id}` }] },
    }, 202);
  }

  private act(droplet: FakeDroplet, text: string): Response {
    let type: string;
    try {
      type = String(JSON.parse(text).type);
    } catch {
      return this.error(400, "bad_request", "unexpected end of JSON input");
    }
    const effects: Record<string, () => void> = {
      power_on: () => droplet.droplet.status = "active",
      power_off: () => droplet.droplet.status = "off",
      shutdown: () => droplet.droplet.status = "off",
      power_cycle: () => droplet.droplet.status = "active",
    };
    if (!effects[type]) return this.error(422, "unprocessable_entity", `${type} is not a valid action type`);
    if (droplet.droplet.locked) {
      return this.error(422, "unprocessable_entity", "Droplet already has a pending event.");
    }
    const action = this.newAction(droplet, type, effects[type]);
    return this.json({ action }, 201);
  }

  private newDroplet(body: Record<string, unknown>): FakeDroplet {
    const id = ++this.nextId;
    const n = id % 250;
    const size = String(body.size);
    const droplet = {
      id,
      name: String(body.name),
      memory: 1024,
      vcpus: 1,
      disk: 25,
      locked: false,
      status: "new",
      kernel: null,
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      features: body.ipv6 ? ["ipv6"] : [],
      backup_ids: [],
      next_backup_window: null,
      snapshot_ids: [],
      image: {
        id: 100_000,
        name: "12 x64",
        distribution: "Debian",
        slug: String(body.image),
        public: true,
        regions,
        created_at: "2023-06-10T00:00:00Z",
        min_disk_size: 15,
        type: "base",
        size_gigabytes: 2.1,
        description: "Debian 12 x64",
        tags: [],
        status: "available",
      },
      volume_ids: [],
      size: {
        slug: size,
        memory: 1024,
        vcpus: 1,
        disk: 25,
        transfer: 1,
        price_monthly: 6,
        price_hourly: 0.00893,
        regions,
        available: true,
        description: "Basic",
      },
      size_slug: size,
      networks: {
        v4: [
          { ip_address: `10.110.0.${n}`, netmask: "255.255.240.0", gateway: "10.110.0.1", type: "private" },
          { ip_address: `203.0.113.${n}`, netmask: "255.255.240.0", gateway: "203.0.113.1", type: "public" },
        ],
        v6: [],
      },
      region: {
        name: "Amsterdam 3",
        slug: String(body.region),
        features: ["metadata"],
        available: true,
        sizes: [size],
      },
      tags: (body.tags as string[] | null) ?? [],
      vpc_uuid: "00000000-0000-4000-8000-000000000000",
      user_data: body.user_data,
    };
    const fake: FakeDroplet = { droplet, since: Date.now() };
    this.droplets.set(id, fake);
    return fake;
  }

  private newAction(droplet: FakeDroplet, type: string, finish: () => void) {
    const id = ++this.nextId;
    const action = {
      id,
      status: "in-progress",
      type,
      started_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      completed_at: null as string | null,
      resource_id: droplet.droplet.id,
      resource_type: "droplet",
      region: droplet.droplet.region,
      region_slug: (droplet.droplet.region as { slug: string }).slug,
    };
    droplet.droplet.locked = true;
    this.actions.set(id, {
      action,
      doneAt: Date.now() + this.actionMs,
      finish: () => {
        finish();
        droplet.droplet.locked = false;
      },
    });
    return action;
  }

  /** Completes the actions whose time has come. */
  private advance() {
    const now = Date.now();
    for (const action of this.actions.values()) {
      if (action.action.status === "in-progress" && now >= action.doneAt) {
        action.finish();
        action.action.status = "completed";
        action.action.completed_at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      }
    }
  }

  private async withDroplet(id: number, fn: (droplet: FakeDroplet) => Response | Promise<Response>) {
    const droplet = this.droplets.get(id);
    return droplet ? await fn(droplet) : this.notFound();
  }

  private rateHeaders(): Record<string, string> {
    return {
      "ratelimit-limit": "5000",
      "ratelimit-remaining": String(Math.max(0, this.remaining)),
      "ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60),
    };
  }

  private json(body: unknown, status = 200): Response {
    return new Response(JSON.stringify(body), { status, headers: { ...jsonHeaders, ...this.rateHeaders() } });
  }

  private notFound(): Response {
    return this.error(404, "not_found", "The resource you were accessing could not be found.");
  }

  private error(status: number, id: string, message: string, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify({ id, message }), {
      status,
      headers: { ...jsonHeaders, ...this.rateHeaders(), ...headers },
    });
  }
}
