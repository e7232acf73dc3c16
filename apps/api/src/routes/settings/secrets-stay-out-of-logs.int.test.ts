import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { migrateDatabase } from '@notifykit/db';
import { createLogger } from '@notifykit/runtime';
import { useTestDatabase, useTestRedis } from '@notifykit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN } from '../../../test/test-app.ts';
import { type App, buildApp } from '../../app.ts';
import { type AppDeps, createDependencies } from '../../dependencies.ts';
import { loadApiEnv } from '../../env.ts';

// The app is built by hand (not useTestApp) so its logger writes, at the chattiest level, into
// a buffer this test can search for secrets.
const database = useTestDatabase({ migrate: migrateDatabase });
const redis = useTestRedis();
const lines: string[] = [];
let app: App;
let deps: AppDeps;

beforeAll(async () => {
  const env = loadApiEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'trace',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.bullmqPrefix,
    ENCRYPTION_KEYS: `logs:${randomBytes(32).toString('base64')}`,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  });
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ name: 'api-log-test', level: 'trace', destination: capture });
  deps = createDependencies(env, logger);
  app = await buildApp(deps);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await deps?.close();
});

const SENDGRID_KEY = 'SG.Lq8Wm3Nx6Rb1Tc4Vd7Ye0Zf.Pa2Sb5Uc8Wd1Xe4Yf7Zg0Ah3Bi6Cj9Dk2El5Fm8Gn1Ho';

describe('secrets in logs', () => {
  it('never logs an API key, SendGrid key, signing secret or the admin token', async () => {
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/customers',
      headers: admin,
      payload: { name: 'Log Test', email: 'logs@example.test', plan: 'indie' },
    });
    const { customer, apiKey } = created.json().data;
    const second = await app.inject({
      method: 'POST',
      url: `/admin/v1/customers/${customer.id}/api-keys`,
      headers: admin,
    });
    const customerHeaders = { 'x-api-key': apiKey };
    const stored = await app.inject({
      method: 'PUT',
      url: '/api/v1/settings/sendgrid',
      headers: customerHeaders,
      payload: { apiKey: SENDGRID_KEY },
    });
    const refused = await app.inject({
      method: 'PUT',
      url: '/api/v1/settings/sendgrid',
      headers: customerHeaders,
      payload: { apiKey: `${SENDGRID_KEY}.x` },
    });
    const secrets = [];
    for (let i = 0; i < 2; i++) {
      const rotated = await app.inject({
        method: 'POST',
        url: '/api/v1/settings/webhook-secret',
        headers: customerHeaders,
      });
      secrets.push(rotated.json().data.secret as string);
    }
    expect([created, second, stored, refused].map((r) => r.statusCode)).toEqual([
      201, 201, 200, 400,
    ]);

    // The capture works: every request above left its completion line.
    const completed = lines.filter((line) => line.includes('"request completed"'));
    expect(completed.length).toBeGreaterThanOrEqual(6);

    const log = lines.join('\n');
    const forbidden = [
      apiKey,
      second.json().data.apiKey,
      SENDGRID_KEY,
      SENDGRID_KEY.slice(3, 25),
      ...secrets,
      ...secrets.map((secret) => secret.slice('whsec_'.length)),
      TEST_ADMIN_TOKEN,
    ];
    for (const value of forbidden) expect(log).not.toContain(value);
  });
});
