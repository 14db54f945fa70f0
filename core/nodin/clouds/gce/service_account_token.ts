/**
 * OAuth 2.0 access tokens for a Google service account (RFC 7523 JWT bearer grant): a JWT asserting the
 * account's email, scope and audience, signed with its key, is exchanged at the token endpoint. The token
 * is kept until a minute before it expires.
 */
import type { Credential } from "../../power/driver.ts";
import { CloudProviderError } from "../errors.ts";
import { importPrivateKey, signJwtRs256 } from "./jwt.ts";

export const computeScope = "https://www.googleapis.com/auth/compute";
export const googleTokenUrl = "https://oauth2.googleapis.com/token";
const provider = "gce";

export interface ServiceAccountKey {
  clientEmail: string;
  privateKeyPem: string;
  privateKeyId?: string;
  projectId?: string;
  tokenUri?: string;
}

/**
 * The key from a Credential: either the whole key file as `extra.serviceAccountKey` (JSON), or the email
 * as username and the PEM private key as password.
 */
export function serviceAccountKeyOf(credential: Credential): ServiceAccountKey {
  const json = credential.extra?.serviceAccountKey;
  if (json) {
    let file: Record<string, string>;
    try {
      file = JSON.parse(json);
    } catch {
      throw new CloudProviderError("auth", provider, "the service-account key is not JSON");
    }
    if (!file.client_email || !file.private_key) {
      throw new CloudProviderError(
        "auth",
        provider,
        "the service-account key lacks client_email or private_key",
      );
    }
    return {
      clientEmail: file.client_email,
      privateKeyPem: file.private_key,
      privateKeyId: file.private_key_id,
      projectId: file.project_id,
      tokenUri: file.token_uri,
    };
  }
  if (credential.username && credential.password) {
    return { clientEmail: credential.username, privateKeyPem: credential.password };
  }
  throw new CloudProviderError("auth", provider, "the credential holds no service-account key");
}

export class ServiceAccountTokenSource {
  private cached?: { token: string; expiresAt: number };
  private key?: Promise<CryptoKey>;

  constructor(
    private readonly account: ServiceAccountKey,
    /** Overrides the key file's token_uri and Google's endpoint. */
    private readonly tokenUrl = account.tokenUri ?? googleTokenUrl,
    private readonly scope = computeScope,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Forgets the token, after the API refused it. */
  invalidate() {
    this.cached = undefined;
  }

  async token(signal?: AbortSignal): Promise<string> {
    const nowMs = this.now().getTime();
    if (this.cached && this.cached.expiresAt - 60_000 > nowMs) return this.cached.token;
    this.key ??= importPrivateKey(this.account.privateKeyPem).catch((error) => {
      this.key = undefined;
      throw new CloudProviderError("auth", provider, `the service-account private key: ${error.message}`);
    });
    const issuedAt = Math.floor(nowMs / 1000);
    const assertion = await signJwtRs256(
      {
        iss: this.account.clientEmail,
        scope: this.scope,
        // Google's token URL is the audience even when the assertion goes to another endpoint (as in google-auth).
        aud: googleTokenUrl,
        iat: issuedAt,
        exp: issuedAt + 3600,
      },
      await this.key,
      this.account.privateKeyId,
    );
    let response: Response;
    try {
      response = await fetch(this.tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new CloudProviderError("unreachable", provider, `token endpoint: ${(error as Error).message}`);
    }
    const body = await response.json().catch(() => ({})) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== "string") {
      const reason = [body.error, body.error_description].filter(Boolean).join(": ") ||
        `HTTP ${response.status}`;
      throw new CloudProviderError(
        response.status >= 500 ? "unreachable" : "auth",
        provider,
        `token endpoint refused the service account ${this.account.clientEmail}: ${reason}`,
        response.status,
        typeof body.error === "string" ? body.error : undefined,
      );
    }
    const expiresIn = typeof body.expires_in === "number" ? body.expires_in : 3600;
    this.cached = { token: body.access_token, expiresAt: nowMs + expiresIn * 1000 };
    return body.access_token;
  }
}
