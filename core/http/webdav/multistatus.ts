import { escapeXml } from "./xml.ts";

/** HTTP status lines as multistatus bodies carry them. */
const reasons: Record<number, string> = {
  200: "OK",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  423: "Locked",
  424: "Failed Dependency",
  507: "Insufficient Storage",
};

export function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${reasons[status] ?? ""}`.trimEnd();
}

/** A group of properties sharing one status, each given as XML (a value, or an empty named element). */
export interface Propstat {
  status: number;
  properties: string[];
}

/** One DAV:response: its href and either propstats or a status of its own. */
export interface MultistatusResponse {
  href: string;
  propstats?: Propstat[];
  status?: number;
  /** A DAV:error body, e.g. "<D:lock-token-submitted/>". */
  error?: string;
}

export function multistatusXml(responses: MultistatusResponse[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">` +
    responses.map((response) =>
      `<D:response><D:href>${escapeXml(response.href)}</D:href>` +
      (response.propstats ?? []).filter((propstat) => propstat.properties.length > 0).map((propstat) =>
        `<D:propstat><D:prop>${propstat.properties.join("")}</D:prop>` +
        `<D:status>${statusLine(propstat.status)}</D:status></D:propstat>`
      ).join("") +
      (response.status ? `<D:status>${statusLine(response.status)}</D:status>` : "") +
      (response.error ? `<D:error>${response.error}</D:error>` : "") +
      "</D:response>"
    ).join("") + "</D:multistatus>";
}

export function multistatusResponse(responses: MultistatusResponse[]): Response {
  return new Response(multistatusXml(responses), {
    status: 207,
    headers: { "content-type": "application/xml; charset=utf-8" },
  });
}

/**
 * A plain error answer with a DAV:error body naming the precondition that failed (RFC 4918 §16) and, for
 * the lock conditions, the resources concerned.
 */
export function davErrorResponse(status: number, condition: string, hrefs: string[] = []): Response {
  const inner = hrefs.map((href) => `<D:href>${escapeXml(href)}</D:href>`).join("");
  return new Response(
    `<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:">` +
      (inner ? `<D:${condition}>${inner}</D:${condition}>` : `<D:${condition}/>`) + "</D:error>",
    { status, headers: { "content-type": "application/xml; charset=utf-8" } },
  );
}
