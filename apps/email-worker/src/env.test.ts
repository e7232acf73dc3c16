import { randomBytes } from 'node:crypto';
import { ConfigError } from '@notifykit/runtime';
import { describe, expect, it } from 'vitest';
import { loadWorkerEnv } from './env.ts';

const base = {
  DATABASE_URL: 'postgres://localhost/notifykit',
  REDIS_URL: 'redis://localhost:6379',
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  EMAIL_FROM_DEFAULT: 'NotifyKit <no-reply@notifykit.example>',
  SENDGRID_API_KEY: 'SG.operator',
};

function problemsOf(source: Record<string, string | undefined>): readonly string[] {
  try {
    loadWorkerEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('email worker environment', () => {
  it('applies the documented defaults', () => {
    const env = loadWorkerEnv(base);
    expect({
      prefix: env.REDIS_PREFIX,
      url: env.SENDGRID_API_URL,
      timeout: env.SENDGRID_TIMEOUT_MS,
      transport: env.EMAIL_TRANSPORT,
      force: env.EMAIL_TRANSPORT_FORCE_LOG,
      concurrency: env.EMAIL_CONCURRENCY,
      sender: env.defaultSender,
      workerConcurrency: env.workerSettings.concurrency,
      shutdownGrace: env.workerSettings.shutdownGraceMs,
    }).toEqual({
      prefix: 'notifykit',
      url: 'https://api.sendgrid.com',
      timeout: 15_000,
      transport: 'sendgrid',
      force: false,
      concurrency: 10,
      sender: { email: 'no-reply@notifykit.example', name: 'NotifyKit' },
      workerConcurrency: 10,
      shutdownGrace: 30_000,
    });
  });

  it('maps the shared retry variables into the worker settings', () => {
    const env = loadWorkerEnv({
      ...base,
      RETRY_BASE_DELAY_MS: '500',
      RETRY_MULTIPLIER: '2',
      RETRY_JITTER_RATIO: '0',
      EMAIL_CONCURRENCY: '3',
    });
    expect(env.workerSettings.retryPolicy).toMatchObject({
      baseDelayMs: 500,
      multiplier: 2,
      jitterRatio: 0,
    });
    expect(env.workerSettings.concurrency).toBe(3);
  });

  it('requires SENDGRID_API_KEY with the sendgrid transport only', () => {
    expect(problemsOf({ ...base, SENDGRID_API_KEY: undefined })).toEqual([
      'SENDGRID_API_KEY: required when EMAIL_TRANSPORT=sendgrid (set EMAIL_TRANSPORT=log to run without SendGrid in development)',
    ]);
    expect(problemsOf({ ...base, SENDGRID_API_KEY: '', EMAIL_TRANSPORT: 'log' })).toEqual([]);
  });

  it('refuses the log transport in production unless forced', () => {
    const production = { ...base, NODE_ENV: 'production', EMAIL_TRANSPORT: 'log' };
    expect(problemsOf(production)).toEqual([
      'EMAIL_TRANSPORT: log does not send anything and marks every email delivered; it is refused with NODE_ENV=production unless EMAIL_TRANSPORT_FORCE_LOG=true',
    ]);
    expect(problemsOf({ ...production, EMAIL_TRANSPORT_FORCE_LOG: 'true' })).toEqual([]);
  });

  it('lists every cross-field problem at once', () => {
    expect(
      problemsOf({
        ...base,
        SENDGRID_API_URL: 'ftp://files.example',
        EMAIL_FROM_DEFAULT: 'nobody',
        ENCRYPTION_KEYS: 'k1:short',
        RETRY_BASE_DELAY_MS: '5000',
        RETRY_MAX_DELAY_MS: '1000',
      }),
    ).toEqual([
      'SENDGRID_API_URL: must be an absolute http(s) URL such as https://api.sendgrid.com',
      'EMAIL_FROM_DEFAULT: must be an email address SendGrid can send from, or "Name <address>"',
      'ENCRYPTION_KEYS: encryption key "k1" must be 32 bytes of base64 (got 3)',
      'RETRY_*: Invalid retry policy: maxDelayMs (1000) must not be below baseDelayMs (5000)',
    ]);
  });

  it('reports schema problems by variable name', () => {
    expect(problemsOf({ ...base, EMAIL_TRANSPORT: 'smtp', SENDGRID_TIMEOUT_MS: '5' })).toEqual([
      'SENDGRID_TIMEOUT_MS: must be >= 100',
      'EMAIL_TRANSPORT: must be one of sendgrid, log',
    ]);
  });
});
