import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { useTestApp } from '../../test/test-app.ts';
import { type CatalogedRoute, DOCS_ROUTE_PREFIX } from './openapi.plugin.ts';

const t = useTestApp();
const withPublicUrl = useTestApp({ PUBLIC_URL: 'https://notify.example.com' });

// Served outside the document on purpose: the document itself, its UI, and Prometheus text.
const UNDOCUMENTED = [/^\/openapi\.json$/, /^\/metrics$/, new RegExp(`^${DOCS_ROUTE_PREFIX}(/|$)`)];

interface Media {
  example?: unknown;
  examples?: unknown;
  schema?: unknown;
}
interface Operation {
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  servers: Array<{ url: string }>;
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

async function openApiDocument(app = t.app): Promise<Document> {
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  return response.json() as Document;
}

function documentedRoutes(): CatalogedRoute[] {
  return t.app.routeCatalog.filter(
    (route) => !UNDOCUMENTED.some((pattern) => pattern.test(route.url)),
  );
}

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const hasExample = (media: Media | undefined) =>
  media !== undefined && (media.example !== undefined || media.examples !== undefined);

/** Everything a route's documentation lacks; empty when it is complete. */
function problemsOf(route: CatalogedRoute, document: Document): string[] {
  const operation = document.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
  if (!operation) return ['missing from the OpenAPI document'];
  const problems: string[] = [];
  if (!operation.summary?.trim()) problems.push('no summary');
  if (!operation.tags?.length) problems.push('no tags');
  const successes = Object.entries(operation.responses ?? {}).filter(([status]) =>
    /^2/.test(status),
  );
  if (successes.length === 0) problems.push('no documented success response');
  for (const [status, response] of successes) {
    const media = response.content?.['application/json'];
    if (!media?.schema) problems.push(`response ${status} has no schema`);
    if (!hasExample(media)) problems.push(`response ${status} has no example`);
  }
  if (route.schema?.body !== undefined) {
    if (!hasExample(operation.requestBody?.content?.['application/json'])) {
      problems.push('request body has no example');
    }
  }
  for (const name of route.url.match(/:([A-Za-z0-9_]+)/g) ?? []) {
    const documented = operation.parameters?.some((p) => p.in === 'path' && `:${p.name}` === name);
    if (!documented) problems.push(`path parameter ${name} is not documented`);
  }
  if (route.schema?.querystring !== undefined) {
    if (!operation.parameters?.some((p) => p.in === 'query')) {
      problems.push('query parameters are not documented');
    }
  }
  if (route.auth !== 'public' && !operation.responses?.['401']) {
    problems.push('401 is not documented');
  }
  return problems;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with the API version, servers and the three security schemes', async () => {
    const document = await openApiDocument();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('NotifyKit API');
    expect(document.info.version).toBe(packageJson.version);
    expect(document.servers).toEqual([
      { url: '/', description: 'The server this document was fetched from' },
    ]);
    expect(document.components.securitySchemes).toEqual({
      ApiKeyAuth: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      BearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      AdminBearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
  });

  it('lists PUBLIC_URL as the server when the operator sets it', async () => {
    const document = await openApiDocument(withPublicUrl.app);
    expect(document.servers).toEqual([
      { url: 'https://notify.example.com', description: 'This NotifyKit server' },
    ]);
  });

  it('documents every route with a summary, schemas and examples', async () => {
    const document = await openApiDocument();
    const routes = documentedRoutes();
    // Guards the guard: the catalog must really see the app's routes.
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /api/v1/ping', 'GET /api/v1/info', 'GET /health', 'GET /ready']),
    );
    const incomplete = routes
      .map((route) => ({
        route: `${route.method} ${route.url}`,
        problems: problemsOf(route, document),
      }))
      .filter((entry) => entry.problems.length > 0);
    expect(incomplete).toEqual([]);
  });

  it('declares for each route the credentials the server actually requires', async () => {
    const document = await openApiDocument();
    const expected = {
      customer: [{ ApiKeyAuth: [] }, { BearerAuth: [] }],
      admin: [{ AdminBearer: [] }],
      public: [],
    };
    for (const route of documentedRoutes()) {
      const operation = document.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
      expect({ route: route.url, security: operation?.security }).toEqual({
        route: route.url,
        security: expected[route.auth],
      });
      if (route.auth !== 'customer') continue;
      // The document's claim is checked against the server: no key, no entry.
      const response = await t.app.inject({
        method: route.method as 'GET',
        url: route.url.replace(/:([A-Za-z0-9_]+)/g, 'x'),
      });
      expect({
        route: route.url,
        status: response.statusCode,
        error: response.json().error,
      }).toEqual({ route: route.url, status: 401, error: 'API key is missing' });
    }
  });

  it('shows the success example of a route in its response', async () => {
    const document = await openApiDocument();
    const ping = document.paths['/api/v1/ping']?.get;
    expect(ping?.responses?.['200']?.content?.['application/json']?.example).toEqual({
      success: true,
      data: { message: 'pong' },
      timestamp: '2026-01-09T12:35:00.000Z',
    });
  });
});

describe('interactive docs', () => {
  it('serves the Swagger UI page and the assets it references', async () => {
    const page = await t.app.inject({ method: 'GET', url: `${DOCS_ROUTE_PREFIX}/` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const assets = [...page.body.matchAll(/(?:src|href)="\.\/(static\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining(['static/swagger-ui-bundle.js', 'static/swagger-initializer.js']),
    );
    for (const asset of assets) {
      const response = await t.app.inject({ method: 'GET', url: `${DOCS_ROUTE_PREFIX}/${asset}` });
      expect({ asset, status: response.statusCode }).toEqual({ asset, status: 200 });
      expect(response.body.length).toBeGreaterThan(0);
    }
  });

  it('redirects or answers the bare /docs path too', async () => {
    const response = await t.app.inject({ method: 'GET', url: DOCS_ROUTE_PREFIX });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger-ui');
  });

  it('feeds the UI the same document as /openapi.json', async () => {
    const fromUi = await t.app.inject({ method: 'GET', url: `${DOCS_ROUTE_PREFIX}/json` });
    expect(fromUi.statusCode).toBe(200);
    expect(fromUi.json()).toEqual(await openApiDocument());
  });
});
