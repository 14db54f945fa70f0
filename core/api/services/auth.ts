import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Authenticator } from "../../auth/authenticator.ts";
import type { AuthRepository, Role as RoleName, TokenRecord } from "../../auth/repository.ts";
import type { Logger } from "../../log/logger.ts";
import { AuthService, Role } from "../gen/ctpf/v1/auth_pb.ts";
import { principalKey } from "../context.ts";

const roleToProto: Record<RoleName, Role> = { viewer: Role.VIEWER, admin: Role.ADMIN };

function roleFromProto(role: Role, field: string): RoleName {
  if (role === Role.ADMIN) return "admin";
  if (role === Role.VIEWER) return "viewer";
  throw new ConnectError(`${field}: choose ROLE_VIEWER or ROLE_ADMIN`, Code.InvalidArgument);
}

const maxTokenTtlSeconds = 10n * 366n * 86400n;
const userName = /^[a-zA-Z0-9_.@-]{1,64}$/;
const tokenName = /^[\x20-\x7e]{1,64}$/;

function tokenMessage(token: TokenRecord) {
  return {
    id: token.id,
    name: token.name,
    role: roleToProto[token.role],
    createdAt: timestampFromDate(token.createdAt),
    expiresAt: token.expiresAt ? timestampFromDate(token.expiresAt) : undefined,
    user: token.user ?? "",
  };
}

function caller(context: HandlerContext) {
  return context.values.get(principalKey);
}

export function registerAuthService(
  router: ConnectRouter,
  auth: Authenticator,
  repository: AuthRepository,
  log: Logger,
): void {
  router.service(AuthService, {
    async login(request) {
      if (!userName.test(request.user) || request.password.length > 1024) {
        throw new ConnectError("wrong user name or password", Code.Unauthenticated);
      }
      const session = await auth.login(request.user, request.password);
      if (!session) {
        log.warn("login failed", { user: request.user });
        throw new ConnectError("wrong user name or password", Code.Unauthenticated);
      }
      log.info("login", { user: request.user });
      return {
        token: session.text,
        expiresAt: session.record.expiresAt ? timestampFromDate(session.record.expiresAt) : undefined,
        role: roleToProto[session.record.role],
      };
    },
    logout(_request, context) {
      const principal = caller(context);
      if (principal?.kind === "user" && principal.tokenId) auth.revokeToken(principal.tokenId);
      return {};
    },
    whoAmI(_request, context) {
      const principal = caller(context);
      if (!principal || principal.kind === "anonymous") return { principal: "anonymous", role: Role.VIEWER };
      return { principal: `${principal.kind}:${principal.name}`, role: roleToProto[principal.role] };
    },
    createToken(request, context) {
      if (!tokenName.test(request.name)) {
        throw new ConnectError("name: 1–64 printable ASCII characters", Code.InvalidArgument);
      }
      const role = roleFromProto(request.role, "role");
      if (request.ttlSeconds > maxTokenTtlSeconds) {
        throw new ConnectError(`ttl_seconds: at most ${maxTokenTtlSeconds} (10 years)`, Code.InvalidArgument);
      }
      const ttlMs = Number(request.ttlSeconds) * 1000;
      const created = auth.createToken(request.name, role, ttlMs || undefined);
      log.info("token created", { id: created.record.id, name: request.name, by: caller(context)?.name });
      return { token: tokenMessage(created.record), secret: created.text };
    },
    listTokens() {
      return { tokens: repository.listTokens().map(tokenMessage) };
    },
    revokeToken(request, context) {
      if (!auth.revokeToken(request.id)) throw new ConnectError(`no token ${request.id}`, Code.NotFound);
      log.info("token revoked", { id: request.id, by: caller(context)?.name });
      return {};
    },
    async putUser(request, context) {
      if (!userName.test(request.name)) {
        throw new ConnectError("name: 1–64 of letters, digits, _ . @ -", Code.InvalidArgument);
      }
      if (request.password.length < 8) {
        throw new ConnectError("password: at least 8 characters", Code.InvalidArgument);
      }
      const role = roleFromProto(request.role, "role");
      await auth.putUser(request.name, request.password, role);
      log.info("user saved", { user: request.name, role, by: caller(context)?.name });
      const user = repository.getUser(request.name)!;
      return {
        user: { name: user.name, role: roleToProto[user.role], createdAt: timestampFromDate(user.createdAt) },
      };
    },
    listUsers() {
      return {
        users: repository.listUsers().map((user) => ({
          name: user.name,
          role: roleToProto[user.role],
          createdAt: timestampFromDate(user.createdAt),
        })),
      };
    },
    deleteUser(request, context) {
      if (!auth.deleteUser(request.name)) throw new ConnectError(`no user ${request.name}`, Code.NotFound);
      log.info("user deleted", { user: request.name, by: caller(context)?.name });
      return {};
    },
  });
}
