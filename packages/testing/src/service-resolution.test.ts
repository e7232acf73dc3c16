import { describe, expect, it } from 'vitest';
import { resolveServicePlan } from './service-resolution.ts';

const DB = 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = 'redis://127.0.0.1:6379';

describe('resolveServicePlan', () => {
  it('uses both environment URLs and ignores Docker when they are set', () => {
    expect(resolveServicePlan({ DATABASE_URL: DB, REDIS_URL: REDIS }, false)).toEqual({
      ok: true,
      postgres: { kind: 'env', url: DB },
      redis: { kind: 'env', url: REDIS },
    });
  });

  it('falls back to containers for every missing URL when Docker answers', () => {
    expect(resolveServicePlan({ DATABASE_URL: DB }, true)).toEqual({
      ok: true,
      postgres: { kind: 'env', url: DB },
      redis: { kind: 'container' },
    });
    expect(resolveServicePlan({}, true)).toEqual({
      ok: true,
      postgres: { kind: 'container' },
      redis: { kind: 'container' },
    });
  });

  it('fails naming both ways out when neither URLs nor Docker are available', () => {
    const plan = resolveServicePlan({}, false);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.message).toContain('Postgres (DATABASE_URL) and Redis (REDIS_URL)');
    expect(plan.message).toContain(
      'set DATABASE_URL and REDIS_URL to a running Postgres and Redis, or start a Docker engine so testcontainers can start them',
    );
  });

  it('names only the missing service when one URL is set without Docker', () => {
    const plan = resolveServicePlan({ DATABASE_URL: DB, REDIS_URL: '  ' }, false);
    expect(plan).toMatchObject({ ok: false });
    if (plan.ok) return;
    expect(plan.message).toContain('Redis (REDIS_URL)');
    expect(plan.message).not.toContain('Postgres (DATABASE_URL)');
  });
});
