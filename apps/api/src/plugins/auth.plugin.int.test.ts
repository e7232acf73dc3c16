import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';

const t = useTestApp();

// The auth hook guards every /api/v1 route except /info; ping is the smallest of them.
async function call(headers: Record<string, string>) {
  return t.app.inject({ method: 'GET', url: '/api/v1/ping', headers });
}

describe('API key authentication', () => {
  it('answers the contract strings exactly', async () => {
    const missing = await call({});
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error).toBe('API key is missing');

    const badFormat = await call({ 'x-api-key': 'nh_short' });
    expect(badFormat.statusCode).toBe(401);
    expect(badFormat.json().error).toBe('Invalid API key format');

    const unknown = await call({ 'x-api-key': `nh_${'a'.repeat(64)}` });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toBe('Invalid API key');
  });

  it('refuses an inactive account with 403', async () => {
    const { apiKey } = await t.createCustomer({ isActive: false });
    const response = await call({ 'x-api-key': apiKey });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ success: false, error: 'Account is inactive' });
  });
});
