/**
 * What boot rules see about a booting machine, and what they may answer. Rules are operator code: their
 * answer is checked here before anything is sent to a client.
 */
export interface BootFacts {
  mac: string;
  /** The address the client has or is being given, if known. */
  ip?: string;
  arch: { id: number; name: string };
  /** Option 60, e.g. "PXEClient:Arch:00007:UNDI:003016". */
  vendorClass?: string;
  /** Option 77, e.g. "iPXE". */
  userClass?: string;
  /** Option 97 machine UUID. */
  uuid?: string;
  /** giaddr, when the request came through a relay. */
  relay?: string;
  /** This bofied's address as the client reaches it (for building URLs). */
  server: string;
  /** bofied's HTTP port. */
  httpPort: number;
}

export type BootDecision =
  | { ignore: true }
  | {
    ignore?: false;
    /** A file under the TFTP root (BOOTP file / option 67). */
    tftpFile?: string;
    /** An http:// URL (UEFI HTTP boot, iPXE). */
    httpUrl?: string;
    /** siaddr; defaults to this bofied. */
    nextServer?: string;
  };

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Checks a rules answer; returns the decision or a reason it is unusable. */
export function checkDecision(
  value: unknown,
): { ok: true; decision: BootDecision } | { ok: false; reason: string } {
  if (value === undefined || value === null) return { ok: true, decision: { ignore: true } };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: "the answer must be an object" };
  }
  const answer = value as Record<string, unknown>;
  const known = new Set(["ignore", "tftpFile", "httpUrl", "nextServer"]);
  for (const key of Object.keys(answer)) {
    if (!known.has(key)) return { ok: false, reason: `unknown field "${key}"` };
  }
  if (answer.ignore === true) return { ok: true, decision: { ignore: true } };
  const text = (key: string, max: number) => {
    const field = answer[key];
    if (field === undefined) return undefined;
    if (typeof field !== "string" || field.length === 0 || field.length > max) {
      throw new Error(`${key} must be a string of 1..${max} characters`);
    }
    return field;
  };
  try {
    // The BOOTP file field holds 127 characters plus NUL; option 67 could hold more, firmware often cannot.
    const tftpFile = text("tftpFile", 127);
    const httpUrl = text("httpUrl", 1024);
    const nextServer = text("nextServer", 15);
    if (!tftpFile && !httpUrl) return { ok: false, reason: "answer tftpFile, httpUrl or ignore: true" };
    if (httpUrl && !/^https?:\/\/[^\s]+$/.test(httpUrl)) {
      return { ok: false, reason: "httpUrl must be an http(s) URL" };
    }
    if (nextServer && !ipv4.test(nextServer)) {
      return { ok: false, reason: "nextServer must be an IPv4 address" };
    }
    return { ok: true, decision: { tftpFile, httpUrl, nextServer } };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
