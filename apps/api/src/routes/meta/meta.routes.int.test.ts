import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { useTestApp } from '../../../test/test-app.ts';

const DOCS_URL = 'https://docs.notify.example.com/api';
const t = useTestApp({ DOCS_URL });

describe('GET /api/v1/info', () => {
  it('describes the server without an API key', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/info' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({
      success: true,
      data: {
        name: 'NotifyKit',
        version: packageJson.version,
        description:
          'Self-hostable notification delivery: email (SendGrid) and webhooks as tracked, ' +
          'retried, signed jobs with idempotency and a full delivery history.',
        documentation: DOCS_URL,
      },
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('ignores a wrong API key instead of refusing the request', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/info',
      headers: { 'x-api-key': 'nh_not-a-key' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.name).toBe('NotifyKit');
  });
});

describe('GET /api/v1/ping', () => {
  it('answers pong to a valid key', async () => {
    const { apiKey } = await t.createCustomer();
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ping',
      headers: { 'x-api-key': apiKey },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ success: true, data: { message: 'pong' } });
  });
});
