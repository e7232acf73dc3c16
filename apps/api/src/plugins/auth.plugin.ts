import type { AuthenticatedKey } from '@notifykit/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createAdminTokenCheck } from '../auth/admin-token.ts';
import { API_KEY_PATTERN, hashApiKey } from '../auth/api-key-material.ts';
import type { AppDeps } from '../dependencies.ts';
import { ApiError } from '../http/api-error.ts';

/** Who may call a route: a customer's API key, the operator's admin token, or anyone. */
export type RouteAuth = 'customer' | 'admin' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Defaults to 'customer' under /api/v1 and 'public' elsewhere. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** Set on customer-authenticated routes; read it through `requireCustomer`. */
    authenticated: AuthenticatedKey | null;
  }
}

export const AUTH_MESSAGES = {
  missing: 'API key is missing',
  badFormat: 'Invalid API key format',
  invalid: 'Invalid API key',
  inactive: 'Account is inactive',
} as const;

/** Sentences of the operator API's 401s. */
export const ADMIN_AUTH_MESSAGES = {
  missing: 'Admin token is missing',
  invalid: 'Invalid admin token',
} as const;

/** X-API-Key wins over `Authorization: Bearer` when both are sent (CONTRACT §2). */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct) return direct.trim();
  const authorization = request.headers.authorization;
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return match?.[1]?.trim();
}

/** The authenticated customer of a customer route (the auth hook guarantees it is there). */
export function requireCustomer(request: FastifyRequest): AuthenticatedKey {
  if (!request.authenticated) throw new ApiError(401, AUTH_MESSAGES.missing);
  return request.authenticated;
}

/** The route's auth mode: explicit config, else customer auth for the public API prefix. */
export function routeAuth(request: FastifyRequest): RouteAuth {
  return authModeOf(request.routeOptions);
}

/** The same rule for a route's options, as the OpenAPI plugin sees them at registration. */
export function authModeOf(route: { config?: unknown; url?: string | undefined }): RouteAuth {
  const configured = (route.config as { auth?: RouteAuth } | undefined)?.auth;
  if (configured) return configured;
  return route.url?.startsWith('/api/v1/') ? 'customer' : 'public';
}

/**
 * Operator routes take only `Authorization: Bearer <ADMIN_TOKEN>`; customer keys are never
 * looked up here. With no token configured the admin API does not exist, so its routes answer
 * exactly like an unknown route.
 */
function authenticateAdmin(
  request: FastifyRequest,
  isAdminToken: ((presented: string) => boolean) | undefined,
): void {
  if (!isAdminToken) {
    const path = request.url.split('?')[0] ?? request.url;
    throw new ApiError(404, `Route ${request.method} ${path} not found`);
  }
  const authorization = request.headers.authorization;
  const token = authorization ? /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() : undefined;
  const challenge = { headers: { 'WWW-Authenticate': 'Bearer realm="notifykit-admin"' } };
  if (!token) throw new ApiError(401, ADMIN_AUTH_MESSAGES.missing, challenge);
  if (!isAdminToken(token)) throw new ApiError(401, ADMIN_AUTH_MESSAGES.invalid, challenge);
}

/**
 * Authenticates customer routes by API key: SHA-256 of the presented key, looked up through a
 * short in-process cache; operator routes by admin token (authenticateAdmin). Runs in
 * onRequest, before body parsing, so unauthenticated callers cost as little as possible.
 */
export const authPlugin = fp<{ deps: AppDeps }>(
  async (app: FastifyInstance, { deps }) => {
    app.decorateRequest('authenticated', null);
    const adminToken = deps.env.ADMIN_TOKEN;
    const isAdminToken = adminToken ? createAdminTokenCheck(adminToken) : undefined;

    app.addHook('onRequest', async (request) => {
      const mode = routeAuth(request);
      if (mode === 'admin') return authenticateAdmin(request, isAdminToken);
      if (mode !== 'customer') return;
      const key = presentedKey(request);
      if (!key) throw new ApiError(401, AUTH_MESSAGES.missing);
      if (!API_KEY_PATTERN.test(key)) throw new ApiError(401, AUTH_MESSAGES.badFormat);

      const keyHash = hashApiKey(key);
      let found = deps.authCache.get(keyHash);
      if (!found) {
        const looked = await deps.repositories.apiKeys.findActiveByHash(keyHash);
        if (!looked) throw new ApiError(401, AUTH_MESSAGES.invalid);
        found = looked;
        deps.authCache.set(keyHash, found);
        // Bookkeeping only: a failure here must not fail the request.
        deps.repositories.apiKeys
          .markUsed(found.customer.id, found.apiKey.id)
          .catch((error: unknown) => request.log.warn({ err: error }, 'could not record key use'));
      }
      if (!found.customer.isActive) throw new ApiError(403, AUTH_MESSAGES.inactive);
      request.authenticated = found;
    });
  },
  { name: 'auth' },
);
