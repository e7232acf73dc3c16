import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../dependencies.ts';
import { SERVICE_INFO } from '../routes/meta/service-info.ts';
import { authModeOf, type RouteAuth } from './auth.plugin.ts';

/** A route as registered, for comparing what the app serves with what the document shows. */
export interface CatalogedRoute {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
  auth: RouteAuth;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every non-HEAD route registered after the OpenAPI plugin, in registration order. */
    routeCatalog: readonly CatalogedRoute[];
  }
}

/** Where the interactive docs live; the document itself is also served at /openapi.json. */
export const DOCS_ROUTE_PREFIX = '/docs';

const SECURITY_SCHEMES = {
  ApiKeyAuth: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'Customer API key (`nh_` + 64 hex characters). Wins over Authorization.',
  },
  BearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'The same customer API key, sent as `Authorization: Bearer nh_...`.',
  },
  AdminBearer: {
    type: 'http',
    scheme: 'bearer',
    description: "The operator's ADMIN_TOKEN (the admin API is off when it is unset).",
  },
} as const;

const SECURITY_BY_AUTH: Record<RouteAuth, Array<Record<string, string[]>>> = {
  customer: [{ ApiKeyAuth: [] }, { BearerAuth: [] }],
  admin: [{ AdminBearer: [] }],
  // An explicit empty list: "no credentials", even if a global default is ever added.
  public: [],
};

const TAGS = [
  { name: 'notifications', description: 'Send an email or a webhook; each send becomes a job.' },
  { name: 'jobs', description: 'Track, list and retry jobs.' },
  { name: 'settings', description: "The customer's SendGrid key and webhook signing secret." },
  { name: 'meta', description: 'Ping and service information.' },
  { name: 'admin', description: 'Operator API: customers, plans, overrides and API keys.' },
  { name: 'operations', description: 'Liveness and readiness probes.' },
];

function describeApi(): string {
  return [
    SERVICE_INFO.description,
    '',
    'Every response is JSON. Success: `{"success": true, "data": ..., "timestamp": ...}`. ' +
      'Error: `{"success": false, "error": "<one sentence>", "timestamp": ...}`, with ' +
      '`details` listing every invalid field on validation errors. Every response carries ' +
      '`X-Request-Id`.',
  ].join('\n');
}

/**
 * OpenAPI 3.1 document generated from the route schemas (the same ones that validate
 * requests), served at /openapi.json, with interactive docs at /docs. Registered before the
 * routes so its onRoute hooks see every one of them.
 */
export const openApiPlugin = fp<{ deps: AppDeps }>(
  async (app: FastifyInstance, { deps }) => {
    const catalog: CatalogedRoute[] = [];
    app.decorate('routeCatalog', catalog);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        // Fastify adds a HEAD twin to every GET; it is not a route of its own.
        if (method === 'HEAD') continue;
        catalog.push({ method, url: route.url, schema: route.schema, auth: authModeOf(route) });
      }
    });

    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: `${SERVICE_INFO.name} API`,
          version: SERVICE_INFO.version,
          description: describeApi(),
        },
        servers: [
          deps.env.PUBLIC_URL
            ? { url: deps.env.PUBLIC_URL, description: 'This NotifyKit server' }
            : { url: '/', description: 'The server this document was fetched from' },
        ],
        externalDocs: { url: deps.env.DOCS_URL, description: 'API guide with curl examples' },
        tags: TAGS,
        components: { securitySchemes: { ...SECURITY_SCHEMES } },
      },
      transform: ({ schema, url, route }) => ({
        schema: { ...schema, security: SECURITY_BY_AUTH[authModeOf(route)] },
        url,
      }),
    });

    await app.register(swaggerUi, {
      routePrefix: DOCS_ROUTE_PREFIX,
      uiConfig: { deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0 },
      staticCSP: true,
      // Plain-http deployments (a private network, localhost) would have every asset upgraded
      // to https and broken by this directive.
      transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
    });

    app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  },
  { name: 'openapi' },
);
