import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '@notifykit/db';
import { startAppProcess, useTestDatabase, useTestRedis } from '@notifykit/testing';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const database = useTestDatabase({ migrate: migrateDatabase });
const redis = useTestRedis();

function workerEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.bullmqPrefix,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SENDGRID_API_KEY: 'SG.process-test-key',
    // Nothing is sent in these tests; a closed port makes any accidental send fail loudly.
    SENDGRID_API_URL: 'http://127.0.0.1:9',
    EMAIL_FROM_DEFAULT: 'no-reply@notifykit.test',
    ...overrides,
  };
}

describe('email-worker process', () => {
  it('starts, logs, and exits 0 on SIGTERM', async () => {
    const worker = startAppProcess('src/main.ts', { cwd: appDir, env: workerEnv() });
    const started = await worker.waitForLine(/"msg":"email-worker started"/);
    expect(JSON.parse(started)).toMatchObject({ transport: 'sendgrid', concurrency: 10 });
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.lines.some((line) => line.includes('"msg":"shutdown complete"'))).toBe(true);
  });

  it('refuses to start with a clear message when its config is invalid', async () => {
    const worker = startAppProcess('src/main.ts', {
      cwd: appDir,
      env: workerEnv({ LOG_LEVEL: 'loud' }),
    });
    const line = await worker.waitForLine(/LOG_LEVEL/);
    expect(line).toContain('LOG_LEVEL: must be one of');
    expect(await worker.waitForExit()).toBe(1);
  });

  it('refuses EMAIL_TRANSPORT=log in production unless forced, and warns loudly when forced', async () => {
    const refused = startAppProcess('src/main.ts', {
      cwd: appDir,
      env: workerEnv({ NODE_ENV: 'production', EMAIL_TRANSPORT: 'log', SENDGRID_API_KEY: '' }),
    });
    await refused.waitForLine(/EMAIL_TRANSPORT: log does not send anything/);
    expect(await refused.waitForExit()).toBe(1);

    const forced = startAppProcess('src/main.ts', {
      cwd: appDir,
      env: workerEnv({
        NODE_ENV: 'production',
        EMAIL_TRANSPORT: 'log',
        EMAIL_TRANSPORT_FORCE_LOG: 'true',
        SENDGRID_API_KEY: '',
      }),
    });
    const warning = await forced.waitForLine(/EMAIL_TRANSPORT=log: emails are NOT sent/);
    expect(JSON.parse(warning)).toMatchObject({ level: 40, forced: true });
    await forced.waitForLine(/"msg":"email-worker started"/);
    expect(await forced.stop('SIGTERM')).toBe(0);
  });

  it('refuses to start without SENDGRID_API_KEY when sending through SendGrid', async () => {
    const worker = startAppProcess('src/main.ts', {
      cwd: appDir,
      env: workerEnv({ SENDGRID_API_KEY: '' }),
    });
    await worker.waitForLine(/SENDGRID_API_KEY: required when EMAIL_TRANSPORT=sendgrid/);
    expect(await worker.waitForExit()).toBe(1);
  });
});
