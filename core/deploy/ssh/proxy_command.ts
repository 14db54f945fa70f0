// ssh's ProxyCommand: the SSH session runs over a command's stdin and stdout (nc, socat, a cloud's
// tunnel). The command is the user's own configuration and runs with sh -c, as ssh runs it.
import { spawn } from "node:child_process";
import { Duplex } from "node:stream";

export interface ProxySocket {
  socket: Duplex;
  /** What the command printed on stderr (why it could not connect, usually). */
  stderr(): string;
}

export class ProxyCommandError extends Error {
  readonly code = "EPROXYCOMMAND";
}

export function expandProxyCommand(template: string, host: string, port: number, user: string): string {
  return template.replace(/%(.)/g, (whole, letter: string) => {
    if (letter === "h") return host;
    if (letter === "p") return String(port);
    if (letter === "r") return user;
    if (letter === "%") return "%";
    return whole;
  });
}

export function proxyCommandSocket(command: string): ProxySocket {
  const child = spawn("sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Uint8Array) => {
    if (stderr.length < 4096) stderr += new TextDecoder().decode(chunk);
  });
  const socket = new Duplex({
    write(chunk, _encoding, callback) {
      if (child.stdin!.destroyed) return callback(new Error("proxy command exited"));
      child.stdin!.write(chunk, callback);
    },
    read() {
      child.stdout!.resume();
    },
    final(callback) {
      child.stdin!.end(callback);
    },
    destroy(error, callback) {
      if (child.exitCode === null) child.kill("SIGTERM");
      callback(error);
    },
  });
  child.stdout!.on("data", (chunk: Uint8Array) => {
    if (!socket.push(chunk)) child.stdout!.pause();
  });
  child.stdout!.on("end", () => socket.push(null));
  child.stdin!.on("error", () => {/* reported through the exit below */});
  child.on("error", (error) => socket.destroy(error));
  child.on("exit", (code, signal) => {
    if (code !== 0 && code !== null) {
      socket.destroy(new Error(`proxy command exited ${code}: ${stderr.trim()}`));
    } else if (signal && signal !== "SIGTERM") socket.destroy(new Error(`proxy command killed by ${signal}`));
  });
  return { socket, stderr: () => stderr };
}
