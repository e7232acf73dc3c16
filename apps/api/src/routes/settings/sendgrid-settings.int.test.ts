import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';
import { hashApiKey } from '../../auth/api-key-material.ts';

const t = useTestApp();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SENDGRID_KEY = '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';
const NOT_CONFIGURED = { configured: false, lastFour: null, updatedAt: null };

function settings(apiKey: string, method: 'GET' | 'PUT' | 'DELETE', payload?: unknown) {
  return t.app.inject({
    method,
    url: '/api/v1/settings/sendgrid',
    headers: { 'x-api-key': apiKey },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

describe('/api/v1/settings/sendgrid', () => {
  it('round-trips a key: stored encrypted, shown only by its last four', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'indie' });
    const initial = await settings(apiKey, 'GET');
    expect(initial.statusCode).toBe(200);
    expect(initial.json().data).toEqual(NOT_CONFIGURED);

    const stored = await settings(apiKey, 'PUT', { apiKey: SENDGRID_KEY });
    expect(stored.statusCode).toBe(200);
    expect(stored.json().data).toEqual({
      configured: true,
      lastFour: 'Ij3K',
      updatedAt: expect.stringMatching(ISO),
    });
    expect(stored.json().data.lastFour).toBe(SENDGRID_KEY.slice(-4));

    const shown = await settings(apiKey, 'GET');
    expect(shown.json().data).toEqual(stored.json().data);
    expect(shown.body).not.toContain(SENDGRID_KEY.slice(3, -4));

    const ciphertext = await t.deps.repositories.customers.getSendgridKeyCiphertext(customer.id);
    expect(ciphertext).not.toBeNull();
    expect(ciphertext).not.toContain(SENDGRID_KEY.slice(3, -4));
    expect(ciphertext?.startsWith(`${t.deps.secretBox.currentKeyId}.`)).toBe(true);
    expect(t.deps.secretBox.decrypt(ciphertext ?? '')).toBe(SENDGRID_KEY);

    const removed = await settings(apiKey, 'DELETE');
    expect(removed.statusCode).toBe(200);
    expect(removed.json().data).toEqual(NOT_CONFIGURED);
    expect((await settings(apiKey, 'GET')).json().data).toEqual(NOT_CONFIGURED);
    expect(await t.deps.repositories.customers.getSendgridKeyCiphertext(customer.id)).toBeNull();
    expect((await settings(apiKey, 'DELETE')).json().data).toEqual(NOT_CONFIGURED);
  });

  it('replaces a stored key and never shows another customer the key', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'startup' });
    const other = await t.createCustomer({ plan: 'startup' });
    await settings(apiKey, 'PUT', { apiKey: SENDGRID_KEY });
    const replacement = `${SENDGRID_KEY.slice(0, -4)}ZZZZ`;
    const replaced = await settings(apiKey, 'PUT', { apiKey: replacement });
    expect(replaced.json().data.lastFour).toBe('ZZZZ');
    expect((await settings(other.apiKey, 'GET')).json().data).toEqual(NOT_CONFIGURED);
  });

  it('refuses anything that is not a SendGrid key with a 400 naming apiKey, without echoing it', async () => {
    const { customer, apiKey } = await t.createCustomer({ plan: 'indie' });
    const message = 'apiKey must be a SendGrid API key: "SG." followed by two dot-separated parts';
    const bad = [
      'sk_live_51HcQ2mKz8Xb3vN7tR9pL4wY6',
      'SG.onlyonepartwithoutasecondone',
      ` ${SENDGRID_KEY}`,
      `${SENDGRID_KEY}\n`,
      'SG.short.kX2pQ9rT4vW7yZ1bC3dE5f',
      '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.extra',
      'SG.kX2pQ9rT4vW7yZ1b+3dE5f.Gh7Jk9Lm1Np3Qr5St7Uv9Wx1Yz3Ab5Cd7Ef9Gh1Ij3K',
    ];
    for (const value of bad) {
      const response = await settings(apiKey, 'PUT', { apiKey: value });
      expect(response.statusCode, value).toBe(400);
      expect(response.json().error).toBe(message);
      expect(response.json().details).toEqual([{ field: 'apiKey', message }]);
      expect(response.body).not.toContain(value.trim());
    }
    const wrongType = await settings(apiKey, 'PUT', { apiKey: 42 });
    expect(wrongType.json().error).toBe(message);
    const missing = await settings(apiKey, 'PUT', {});
    expect(missing.json().error).toBe('apiKey is required');
    const extra = await settings(apiKey, 'PUT', { apiKey: SENDGRID_KEY, region: 'eu' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error).toBe('region is not an allowed property');
    expect(await t.deps.repositories.customers.getSendgridKeyCiphertext(customer.id)).toBeNull();
  });

  it('drops the cached customer so the send path sees the new key at once', async () => {
    const { apiKey } = await t.createCustomer({ plan: 'indie' });
    await settings(apiKey, 'GET');
    expect(t.deps.authCache.get(hashApiKey(apiKey))?.customer.sendgridKey).toBeNull();
    await settings(apiKey, 'PUT', { apiKey: SENDGRID_KEY });
    expect(t.deps.authCache.get(hashApiKey(apiKey))).toBeUndefined();
  });

  it('requires an API key', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/settings/sendgrid' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('API key is missing');
  });
});
