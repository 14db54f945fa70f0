// A k3s release binary fetched on the controller and checked against the release's SHA-256 list before
// anything is uploaded, so hosts need no internet access and a corrupted or substituted download
// never reaches one. Each architecture's binary is fetched once per run (the caller keeps it).
import type { PlannedContent } from "./plan_types.ts";

type Download = Extract<PlannedContent, { kind: "download" }>;

async function fetchOk(url: string, signal: AbortSignal): Promise<Response> {
  const response = await fetch(url, { signal, redirect: "follow" });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  }
  return response;
}

/** The SHA-256 the list gives for `name` (lines of `<hex>  <name>`, as sha256sum writes them). */
export function checksumFor(list: string, name: string): string | undefined {
  for (const line of list.split("\n")) {
    const match = /^([0-9a-f]{64}) [ *]?(.+?)\s*$/.exec(line.trim());
    if (match && match[2] === name) return match[1];
  }
  return undefined;
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function fetchVerified(download: Download, signal: AbortSignal): Promise<Uint8Array> {
  const list = await (await fetchOk(download.checksumsUrl, signal)).text();
  const expected = checksumFor(list, download.checksumName);
  if (!expected) throw new Error(`${download.checksumsUrl} lists no SHA-256 for ${download.checksumName}`);
  const bytes = new Uint8Array(await (await fetchOk(download.url, signal)).arrayBuffer());
  const actual = hex(await crypto.subtle.digest("SHA-256", bytes));
  if (actual !== expected) {
    throw new Error(`${download.url}: SHA-256 ${actual} is not the release's ${expected}; not used`);
  }
  return bytes;
}
