import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, useTestApp } from '../../test/test-app.ts';
import { BODY_LIMIT_BYTES } from '../app.ts';

const INTERNAL_TEXT = 'password=hunter2 at /srv/notifykit/secret.ts';

// Probe routes exercise the root error handler with the app's real plugins around them.
const t = useTestApp(
  {},
  {
    beforeReady(app) {
      const config = { auth: 'public' as const };
      app.post('/__probe/echo', { config }, async (request) => ({ received: request.body }));
      app.get('/__probe/items/:id', { config }, async () => ({ ok: true }));
      app.get('/__probe/crash', { config }, async () => {
        throw new Error(INTERNAL_TEXT);
      });
      app.get('/__probe/crash-with-status', { config }, async () => {
        throw Object.assign(new Error(INTERNAL_TEXT), { statusCode: 400 });
      });
      app.get('/__probe/database-down', { config }, async () => {
        throw Object.assign(new Error(`connect ECONNREFUSED 10.0.0.7:5432 ${INTERNAL_TEXT}`), {
          code: 'ECONNREFUSED',
        });
      });
    },
  },
);

const ISO_WITH_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts the contract's error envelope, exactly, and returns nothing else to check. */
function expectEnvelope(response: LightMyRequestResponse, status: number, error: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['x-request-id']).toMatch(UUID);
  expect(response.json()).toEqual({
    success: false,
    error,
    timestamp: expect.stringMatching(ISO_WITH_MS),
  });
}

const postJson = (payload: string, contentType = 'application/json') =>
  t.app.inject({
    method: 'POST',
    url: '/__probe/echo',
    headers: { 'content-type': contentType },
    payload,
  });

describe('request body errors', () => {
  it('answers 400 to malformed JSON without echoing the parser message', async () => {
    const response = await postJson('{"to": "a@b.co",');
    expectEnvelope(response, 400, 'Request body is not valid JSON');
  });

  it('treats an empty JSON body as no body (clients send the header on body-less calls)', async () => {
    const response = await postJson('');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
    // A route that needs a body still refuses the missing one: see validation.int.test.ts.
  });

  it('answers 413 to a body over the limit', async () => {
    const response = await postJson(JSON.stringify({ body: 'x'.repeat(BODY_LIMIT_BYTES) }));
    expectEnvelope(response, 413, `Request body is too large (limit ${BODY_LIMIT_BYTES} bytes)`);
  });

  it.each([
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'to=a%40b.co'],
    ['multipart/form-data; boundary=x', '--x\r\n\r\nhi\r\n--x--'],
  ])('answers 415 to %s', async (contentType, payload) => {
    const response = await postJson(payload, contentType);
    expectEnvelope(response, 415, 'Content-Type must be application/json');
  });

  it('accepts JSON with a charset parameter', async () => {
    const response = await postJson('{"a":1}', 'application/json; charset=utf-8');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: { a: 1 } });
  });
});

describe('routing errors', () => {
  it('answers 404 to an unknown route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
    expectEnvelope(response, 404, 'Route GET /api/v1/nothing-here not found');
  });

  it('answers 405 with Allow to a wrong method on a known path', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/v1/ping' });
    expectEnvelope(response, 405, 'Method DELETE is not allowed on /api/v1/ping');
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it('answers 405 on a path that only matches a parameterised route', async () => {
    const response = await t.app.inject({ method: 'PUT', url: '/__probe/items/item_42' });
    expectEnvelope(response, 405, 'Method PUT is not allowed on /__probe/items/item_42');
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it('keeps a 404 from inside a route of the right method a 404 (a missing static file)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/static/missing.js' });
    expectEnvelope(response, 404, 'Route GET /docs/static/missing.js not found');
    expect(response.headers.allow).toBeUndefined();
  });

  it('answers 400 to a malformed URL', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/jobs/%E0%A4%A',
    });
    expectEnvelope(response, 400, 'Request URL is malformed');
  });
});

describe('server-side failures', () => {
  it('answers 500 with a generic sentence and nothing internal', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/__probe/crash' });
    expectEnvelope(response, 500, 'Internal server error');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('/srv/');
    expect(response.body).not.toContain('at ');
  });

  it('does not trust a statusCode on an unknown error', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/__probe/crash-with-status' });
    expectEnvelope(response, 500, 'Internal server error');
  });

  it('answers 503 with Retry-After when a dependency is unreachable', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/__probe/database-down' });
    expectEnvelope(response, 503, 'Service temporarily unavailable');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).not.toContain('10.0.0.7');
  });
});

describe('X-Request-Id', () => {
  it('echoes a sane id on success and on errors', async () => {
    for (const url of ['/health', '/no-such-route']) {
      const response = await t.app.inject({
        method: 'GET',
        url,
        headers: { 'x-request-id': 'client-req_1.2:3' },
      });
      expect(response.headers['x-request-id']).toBe('client-req_1.2:3');
    }
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'two words'],
    ['with markup', '<script>alert(1)</script>'],
    ['with a newline escape', 'abc%0d%0aSet-Cookie:x'],
  ])('replaces an id that is %s', async (_label, sent) => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': sent },
    });
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('accepts the longest sane id (128 characters)', async () => {
    const sent = 'b'.repeat(128);
    const response = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': sent },
    });
    expect(response.headers['x-request-id']).toBe(sent);
  });

  it('is present on auth failures of customer and admin routes', async () => {
    const customer = await t.app.inject({ method: 'GET', url: '/api/v1/ping' });
    expectEnvelope(customer, 401, 'API key is missing');
    const admin = await t.app.inject({
      method: 'GET',
      url: '/admin/v1/customers',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}x` },
    });
    expect(admin.statusCode).toBe(401);
    expect(admin.headers['x-request-id']).toMatch(UUID);
    expect(admin.json()).toMatchObject({
      success: false,
      timestamp: expect.stringMatching(ISO_WITH_MS),
    });
  });
});
