/**
 * One HTTP exchange for a power driver (Redfish, webhook): a bounded time for the whole exchange, a
 * bounded answer size, no redirects (credentials go to the configured endpoint only), and network
 * failures as PowerDriverError("unreachable").
 */
import { PowerDriverError } from "./driver.ts";

export interface HttpExchangeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes?: number;
  client?: Deno.HttpClient;
  /** Names the driver in error messages ("Redfish", "webhook"). */
  label: string;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

const DEFAULT_MAX_BYTES = 4 << 20;

export async function httpExchange(
  url: URL,
  init: { method: string; headers: Headers; body?: string },
  options: HttpExchangeOptions,
): Promise<HttpAnswer> {
  const what = `${options.label} ${init.method} ${url.href}`;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  const reason = (error: unknown) =>
    timeout.aborted
      ? `no answer within ${options.timeoutMs} ms`
      : error instanceof Error
      ? error.message
      : String(error);
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal, redirect: "error", client: options.client });
  } catch (error) {
    throw new PowerDriverError("unreachable", `${what}: ${reason(error)}`);
  }
  try {
    const text = await readBounded(response, options.maxBytes ?? DEFAULT_MAX_BYTES, what);
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (error instanceof PowerDriverError) throw error;
    throw new PowerDriverError("unreachable", `${what}: answer cut off (${reason(error)})`);
  }
}

async function readBounded(response: Response, maxBytes: number, what: string): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new PowerDriverError("protocol", `${what}: answer larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}
