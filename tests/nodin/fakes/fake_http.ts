/** What the cloud fakes share: a loopback-only server with a request log and a bounded lifetime. */

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  /** "METHOD path" (or "Action" for EC2) of every request served, in order. */
  readonly log: string[];
  close(): Promise<void>;
}

export function serveLoopback(
  handler: (request: Request) => Response | Promise<Response>,
): { server: Deno.HttpServer<Deno.NetAddr>; port: number } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      return new Response(`fake: ${(error as Error).stack}`, { status: 500 });
    }
  });
  return { server, port: server.addr.port };
}

/** Requests the fake should refuse before serving, to exercise the client's error paths. */
export class Injections {
  private queue: { status: number; headers: Record<string, string> }[] = [];

  /** The next `count` requests are answered with `status` (429, 503 …) and these headers. */
  add(count: number, status: number, headers: Record<string, string> = {}) {
    for (let i = 0; i < count; i++) this.queue.push({ status, headers });
  }

  take(): { status: number; headers: Record<string, string> } | undefined {
    return this.queue.shift();
  }
}

export function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
