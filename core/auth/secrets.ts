import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** Token text: ctpf_<id>_<secret>; the prefix lets secret scanners recognise leaked tokens. */
export interface TokenParts {
  id: string;
  secret: string;
}

const tokenPattern = /^ctpf_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function newToken(): TokenParts & { text: string } {
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, secret, text: `ctpf_${id}_${secret}` };
}

export function parseToken(text: string): TokenParts | undefined {
  const match = tokenPattern.exec(text);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function sameHash(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// scrypt cost: ~50 ms per hash here; enough to make offline guessing expensive without slowing logins.
const N = 16384, r = 8, p = 1, keyLength = 32;

function scryptAsync(password: string, salt: Buffer, n: number, rr: number, pp: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password,
      salt,
      keyLength,
      { N: n, r: rr, p: pp, maxmem: 256 * n * rr },
      (error, key) => error ? reject(error) : resolve(key),
    )
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, rr, pp] = parts.slice(1, 4).map(Number);
  const expected = Buffer.from(parts[5], "base64url");
  const key = await scryptAsync(password, Buffer.from(parts[4], "base64url"), n, rr, pp);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
