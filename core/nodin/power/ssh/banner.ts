/**
 * Whether a machine's SSH server answers: a TCP connection and the server's identification line
 * ("SSH-2.0-…", RFC 4253 §4.2), within a bounded time. What a machine without a BMC offers as power
 * evidence.
 */

export type BannerProbe =
  | { kind: "banner"; banner: string }
  | { kind: "refused" | "silent" | "error"; detail: string };

const MAX_BANNER_BYTES = 255; // RFC 4253: the identification line is at most 255 characters.

export async function probeSshBanner(
  hostname: string,
  port: number,
  timeoutMs: number,
): Promise<BannerProbe> {
  let conn: Deno.TcpConn | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) =>
    timer = setTimeout(() => resolve("timeout"), timeoutMs)
  );
  const connecting = Deno.connect({ hostname, port });
  try {
    const connected = await Promise.race([connecting, timeout]);
    if (connected === "timeout") {
      // A connect that completes later must still be closed.
      connecting.then((late) => late.close(), () => {});
      return { kind: "silent", detail: `no TCP answer from ${hostname}:${port} within ${timeoutMs} ms` };
    }
    conn = connected;
    const reading = readLine(conn);
    // Closing the connection below ends a read still pending: that rejection is expected.
    reading.catch(() => {});
    const line = await Promise.race([reading, timeout]);
    if (line === "timeout") {
      return {
        kind: "silent",
        detail: `${hostname}:${port} accepted TCP but sent no SSH banner within ${timeoutMs} ms`,
      };
    }
    if (!line.startsWith("SSH-")) {
      return {
        kind: "error",
        detail: `${hostname}:${port} answered, but not as SSH: ${JSON.stringify(line)}`,
      };
    }
    return { kind: "banner", banner: line };
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) {
      return { kind: "refused", detail: `${hostname}:${port} refused the TCP connection` };
    }
    return { kind: "error", detail: `${hostname}:${port}: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch {
      // Closed already.
    }
  }
}

async function readLine(conn: Deno.TcpConn): Promise<string> {
  const buffer = new Uint8Array(MAX_BANNER_BYTES);
  let length = 0;
  while (length < buffer.length) {
    const n = await conn.read(buffer.subarray(length));
    if (n === null) break;
    length += n;
    const newline = buffer.subarray(0, length).indexOf(0x0a);
    if (newline >= 0) return new TextDecoder().decode(buffer.subarray(0, newline)).replace(/\r$/, "");
  }
  return new TextDecoder().decode(buffer.subarray(0, length));
}
