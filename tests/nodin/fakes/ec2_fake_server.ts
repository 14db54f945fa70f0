/**
 * A FAKE of Amazon EC2's Query API (version 2016-11-15) for tests: DescribeInstances (InstanceId.N,
 * MaxResults/NextToken pages), RunInstances, Start/Stop/Reboot/TerminateInstances, answered with the XML
 * shapes of botocore's EC2 service description (reservationSet/instancesSet/item, instanceState code and
 * name, tagSet, networkInterfaceSet). Like EC2 it checks every request's SigV4 signature (AuthFailure,
 * 401) and its time (RequestExpired), and answers unknown ids with InvalidInstanceID.NotFound. States move
 * on with time (pending → running, stopping → stopped, shutting-down → terminated). awscli checks this fake
 * in tests/nodin/ec2_fake_test.ts. Loopback only.
 */
import { buildCanonicalRequest, sha256Hex, signingKey, toHex } from "../../../core/nodin/clouds/aws/sigv4.ts";
import { type FakeServer, Injections, serveLoopback, xmlEscape } from "./fake_http.ts";

const namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
const stateCodes: Record<string, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};
/** Where each transient state settles once the transition time has passed. */
const settlesTo: Record<string, string> = {
  pending: "running",
  stopping: "stopped",
  "shutting-down": "terminated",
};

interface FakeInstance {
  id: string;
  reservationId: string;
  imageId: string;
  type: string;
  zone: string;
  subnetId: string;
  state: string;
  since: number;
  tags: [string, string][];
  mac: string;
  privateIp: string;
  launchTime: string;
  userData: string;
}

export interface Ec2FakeOptions {
  region?: string;
  /** Access key id → secret; requests signed with anything else get AuthFailure. */
  keys?: Record<string, string>;
  /** How long pending/stopping/shutting-down last. */
  transitionMs?: number;
}

export class Ec2FakeServer implements FakeServer {
  readonly url: string;
  readonly port: number;
  readonly log: string[] = [];
  readonly inject = new Injections();
  readonly instances = new Map<string, FakeInstance>();
  private readonly server: Deno.HttpServer<Deno.NetAddr>;
  private readonly region: string;
  private readonly keys: Record<string, string>;
  private readonly transitionMs: number;
  private counter = 0;

  constructor(options: Ec2FakeOptions = {}) {
    this.region = options.region ?? "us-east-1";
    this.keys = options.keys ?? { AKIDFAKE: "fake-secret" };
    this.transitionMs = options.transitionMs ?? 300;
    const { server, port } = serveLoopback((request) => this.handle(request));
    this.server = server;
    this.port = port;
    this.url = `http://127.0.0.1:${port}/`;
  }

  async close() {
    await this.server.shutdown();
  }

  /** Adds an instance directly, as if made earlier (for listing and pagination tests). */
  seed(name: string, state = "running", labels: Record<string, string> = {}): string {
    const instance = this.newInstance("ami-0fake", "t3.micro", `${this.region}a`, "", "");
    instance.state = state;
    instance.tags = [["Name", name], ...Object.entries(labels)];
    return instance.id;
  }

  private async handle(request: Request): Promise<Response> {
    const body = request.method === "POST" ? await request.text() : "";
    const params = new URLSearchParams(request.method === "POST" ? body : new URL(request.url).search);
    const action = params.get("Action") ?? "";
    this.log.push(action);
    const injected = this.inject.take();
    if (injected) {
      return this.error(
        injected.status,
        injected.status === 503 ? "RequestLimitExceeded" : "InternalError",
        "Request limit exceeded.",
        injected.headers,
      );
    }
    const authFailure = await this.checkSignature(request, body);
    if (authFailure) return authFailure;
    if (params.get("Version") !== "2016-11-15") {
      return this.error(400, "InvalidParameterValue", `Version ${params.get("Version")} is not served here`);
    }
    switch (action) {
      case "DescribeInstances":
        return this.describe(params);
      case "RunInstances":
        return this.run(params);
      case "StartInstances":
        return this.changeStates(
          params,
          action,
          (instance) => instance.state === "stopped" ? "pending" : undefined,
        );
      case "StopInstances":
        return this.changeStates(
          params,
          action,
          (instance) => instance.state === "running" || instance.state === "pending" ? "stopping" : undefined,
        );
      case "TerminateInstances":
        return this.changeStates(
          params,
          action,
          (instance) => instance.state === "terminated" ? undefined : "shutting-down",
        );
      case "RebootInstances":
        return this.reboot(params);
      default:
        return this.error(400, "InvalidAction", `The action ${action} is not valid for this web service.`);
    }
  }

  /** SigV4 as EC2 checks it: known key, this region and service, a fresh X-Amz-Date, the same signature. */
  private async checkSignature(request: Request, body: string): Promise<Response | undefined> {
    const authorization = request.headers.get("authorization") ?? "";
    const match = authorization.match(
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/,
    );
    if (!match) {
      return this.error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
    }
    const [, accessKey, date, region, service, signedHeaders, signature] = match;
    const secret = this.keys[accessKey];
    if (secret === undefined || region !== this.region || service !== "ec2") {
      return this.error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
    }
    const amzDate = request.headers.get("x-amz-date") ?? "";
    const sent = Date.parse(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
    );
    if (Number.isNaN(sent) || Math.abs(Date.now() - sent) > 15 * 60_000 || !amzDate.startsWith(date)) {
      return this.error(400, "RequestExpired", `Request has expired. Timestamp date is ${amzDate}`);
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => headers[name] = value);
    const names = signedHeaders.split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) {
      return this.error(401, "AuthFailure", "Host and X-Amz-Date must be signed");
    }
    const canonical = await buildCanonicalRequest({
      method: request.method,
      url: new URL(request.url),
      headers,
      body,
    }, names);
    const stringToSign = [
      "AWS4-HMAC-SHA256",
      amzDate,
      `${date}/${region}/ec2/aws4_request`,
      await sha256Hex(canonical),
    ].join("\n");
    const key = await signingKey(secret, date, { region, service });
    const expected = await hmacHex(key, stringToSign);
    if (expected !== signature) {
      return this.error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
    }
    return undefined;
  }

  private describe(params: URLSearchParams): Response {
    this.settle();
    const ids = listParam(params, "InstanceId");
    const maxResults = params.get("MaxResults");
    if (maxResults !== null && ids.length > 0) {
      return this.error(
        400,
        "InvalidParameterCombination",
        "The parameter instancesSet cannot be used with the parameter maxResults",
      );
    }
    for (const id of ids) {
      if (!this.instances.has(id)) return this.notFound(id);
    }
    let selected = ids.length > 0 ? ids.map((id) => this.instances.get(id)!) : [...this.instances.values()];
    let nextToken = "";
    if (maxResults !== null) {
      const size = Number(maxResults);
      if (!Number.isInteger(size) || size < 5 || size > 1000) {
        return this.error(
          400,
          "InvalidParameterValue",
          `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
        );
      }
      const start = params.get("NextToken") ? Number(atob(params.get("NextToken")!)) : 0;
      if (!Number.isInteger(start)) return this.error(400, "InvalidParameterValue", "Invalid NextToken");
      if (start + size < selected.length) nextToken = btoa(String(start + size));
      selected = selected.slice(start, start + size);
    }
    const reservations = selected.map((instance) =>
      `<item><reservationId>${instance.reservationId}</reservationId><ownerId>123456789012</ownerId>` +
      `<groupSet/><instancesSet>${instanceXml(instance)}</instancesSet></item>`
    ).join("");
    return this.ok(
      "DescribeInstancesResponse",
      `<reservationSet>${reservations}</reservationSet>` +
        (nextToken ? `<nextToken>${nextToken}</nextToken>` : ""),
    );
  }

  private run(params: URLSearchParams): Response {
    const imageId = params.get("ImageId") ?? "";
    const type = params.get("InstanceType") ?? "m1.small";
    if (!/^ami-[0-9a-z]+$/.test(imageId)) {
      return this.error(400, "InvalidAMIID.Malformed", `Invalid id: "${imageId}"`);
    }
    const min = Number(params.get("MinCount")), max = Number(params.get("MaxCount"));
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > 20) {
      return this.error(
        400,
        "InvalidParameterValue",
        "MinCount and MaxCount must be 1 ≤ MinCount ≤ MaxCount ≤ 20",
      );
    }
    const zone = params.get("Placement.AvailabilityZone") ?? `${this.region}a`;
    const subnet = params.get("SubnetId") ?? "";
    const tags: [string, string][] = [];
    for (let spec = 1; params.has(`TagSpecification.${spec}.ResourceType`); spec++) {
      if (params.get(`TagSpecification.${spec}.ResourceType`) !== "instance") continue;
      for (let tag = 1; params.has(`TagSpecification.${spec}.Tag.${tag}.Key`); tag++) {
        tags.push([
          params.get(`TagSpecification.${spec}.Tag.${tag}.Key`)!,
          params.get(`TagSpecification.${spec}.Tag.${tag}.Value`) ?? "",
        ]);
      }
    }
    const reservationId = `r-${this.hexId(17)}`;
    const made = Array.from({ length: max }, () => {
      const instance = this.newInstance(
        imageId,
        type,
        zone,
        subnet,
        params.get("UserData") ?? "",
        reservationId,
      );
      instance.tags = [...tags];
      return instance;
    });
    return this.ok(
      "RunInstancesResponse",
      `<reservationId>${reservationId}</reservationId><ownerId>123456789012</ownerId><groupSet/>` +
        `<instancesSet>${made.map(instanceXml).join("")}</instancesSet>`,
    );
  }

  private changeStates(
    params: URLSearchParams,
    action: string,
    next: (instance: FakeInstance) => string | undefined,
  ) {
    this.settle();
    const ids = listParam(params, "InstanceId");
    if (ids.length === 0) {
      return this.error(400, "MissingParameter", "The request must contain the parameter InstanceId");
    }
    for (const id of ids) {
      if (
        !this.instances.has(id) ||
        this.instances.get(id)!.state === "terminated" && action !== "TerminateInstances"
      ) return this.notFound(id);
    }
    const changes = ids.map((id) => {
      const instance = this.instances.get(id)!;
      const previous = instance.state;
      const state = next(instance);
      if (state) {
        instance.state = state;
        instance.since = Date.now();
      }
      return `<item><instanceId>${id}</instanceId>${stateXml("currentState", instance.state)}${
        stateXml("previousState", previous)
      }</item>`;
    });
    return this.ok(`${action}Response`, `<instancesSet>${changes.join("")}</instancesSet>`);
  }

  private reboot(params: URLSearchParams): Response {
    this.settle();
    const ids = listParam(params, "InstanceId");
    for (const id of ids) if (!this.instances.has(id)) return this.notFound(id);
    return this.ok("RebootInstancesResponse", "<return>true</return>");
  }

  private settle() {
    const now = Date.now();
    for (const instance of this.instances.values()) {
      const settled = settlesTo[instance.state];
      if (settled && now - instance.since >= this.transitionMs) {
        instance.state = settled;
        instance.since = now;
      }
    }
  }

  private newInstance(
    imageId: string,
    type: string,
    zone: string,
    subnetId: string,
    userData: string,
    reservationId?: string,
  ) {
    const n = ++this.counter;
    const instance: FakeInstance = {
      id: `i-${this.hexId(17)}`,
      reservationId: reservationId ?? `r-${this.hexId(17)}`,
      imageId,
      type,
      zone,
      subnetId: subnetId || "subnet-0fake",
      state: "pending",
      since: Date.now(),
      tags: [],
      mac: `0e:00:00:00:${(n >> 8).toString(16).padStart(2, "0")}:${(n & 255).toString(16).padStart(2, "0")}`,
      privateIp: `172.31.${n >> 8}.${n & 255}`,
      launchTime: new Date().toISOString().replace(/\.\d{3}Z$/, ".000Z"),
      userData,
    };
    this.instances.set(instance.id, instance);
    return instance;
  }

  private hexId(length: number): string {
    return (this.counter + 1).toString(16).padStart(length, "0").slice(-length);
  }

  private notFound(id: string): Response {
    if (!/^i-[0-9a-f]{8,17}$/.test(id)) {
      return this.error(400, "InvalidInstanceID.Malformed", `Invalid id: "${id}"`);
    }
    return this.error(400, "InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
  }

  private ok(element: string, inner: string): Response {
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<${element} xmlns="${namespace}">` +
        `<requestId>${crypto.randomUUID()}</requestId>${inner}</${element}>`,
      { headers: { "content-type": "text/xml;charset=UTF-8" } },
    );
  }

  private error(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): Response {
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code>` +
        `<Message>${
          xmlEscape(message)
        }</Message></Error></Errors><RequestID>${crypto.randomUUID()}</RequestID></Response>`,
      { status, headers: { "content-type": "text/xml;charset=UTF-8", ...headers } },
    );
  }
}

function listParam(params: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.${i}`); i++) values.push(params.get(`${name}.${i}`)!);
  return values;
}

function stateXml(element: string, state: string): string {
  return `<${element}><code>${stateCodes[state]}</code><name>${state}</name></${element}>`;
}

function instanceXml(instance: FakeInstance): string {
  const running = instance.state === "running";
  const tags = instance.tags.map(([key, value]) =>
    `<item><key>${xmlEscape(key)}</key><value>${xmlEscape(value)}</value></item>`
  ).join("");
  return `<item><instanceId>${instance.id}</instanceId><imageId>${instance.imageId}</imageId>` +
    stateXml("instanceState", instance.state) +
    `<privateDnsName>ip-${instance.privateIp.replaceAll(".", "-")}.ec2.internal</privateDnsName>` +
    `<dnsName/><reason/><amiLaunchIndex>0</amiLaunchIndex><instanceType>${instance.type}</instanceType>` +
    `<launchTime>${instance.launchTime}</launchTime><placement><availabilityZone>${instance.zone}</availabilityZone>` +
    `<groupName/><tenancy>default</tenancy></placement><monitoring><state>disabled</state></monitoring>` +
    `<subnetId>${instance.subnetId}</subnetId><vpcId>vpc-0fake</vpcId><privateIpAddress>${instance.privateIp}</privateIpAddress>` +
    (running ? `<ipAddress>198.51.100.${Number(instance.privateIp.split(".")[3])}</ipAddress>` : "") +
    `<architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>` +
    `<blockDeviceMapping/><virtualizationType>hvm</virtualizationType><hypervisor>xen</hypervisor>` +
    (tags ? `<tagSet>${tags}</tagSet>` : "") +
    `<networkInterfaceSet><item><networkInterfaceId>eni-${instance.id.slice(2)}</networkInterfaceId>` +
    `<subnetId>${instance.subnetId}</subnetId><vpcId>vpc-0fake</vpcId><status>in-use</status>` +
    `<macAddress>${instance.mac}</macAddress><privateIpAddress>${instance.privateIp}</privateIpAddress>` +
    `<sourceDestCheck>true</sourceDestCheck><attachment><attachmentId>eni-attach-${
      instance.id.slice(2)
    }</attachmentId>` +
    `<deviceIndex>0</deviceIndex><status>attached</status><deleteOnTermination>true</deleteOnTermination></attachment>` +
    `</item></networkInterfaceSet><ebsOptimized>false</ebsOptimized></item>`;
}

async function hmacHex(key: Uint8Array<ArrayBuffer>, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return toHex(
    new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(message))),
  );
}
