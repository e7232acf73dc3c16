import { describe, expect, it } from 'vitest';
import { assertServicesAnswer, probePostgres, probeRedis } from './service-probes.ts';
import { getTestServices } from './test-services.ts';

// Port 1 (tcpmux) is closed on any sane machine, so connecting is refused at once.
const DEAD_POSTGRES = 'postgres://postgres:secret@127.0.0.1:1/postgres';
const DEAD_REDIS = 'redis://127.0.0.1:1';

describe('service probes', () => {
  it('pass against the services the global setup resolved', async () => {
    const { databaseUrl, redisUrl } = getTestServices();
    await expect(assertServicesAnswer(databaseUrl, redisUrl)).resolves.toBeUndefined();
  });

  it('fail fast with a message naming Postgres and hiding the password', async () => {
    const started = Date.now();
    const error = await probePostgres(DEAD_POSTGRES).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(String(error)).toMatch(/Postgres at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1/);
    expect(String(error)).not.toContain('secret');
  });

  it('fail fast with a message naming Redis', async () => {
    const started = Date.now();
    await expect(probeRedis(DEAD_REDIS)).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('name only the service that is down', async () => {
    const { databaseUrl } = getTestServices();
    const error = await assertServicesAnswer(databaseUrl, DEAD_REDIS).catch((e: unknown) => e);
    expect(String(error)).toContain('Redis at');
    expect(String(error)).not.toContain('Postgres at');
  });

  it('time out on a server that accepts connections but never answers', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const started = Date.now();
      await expect(probeRedis(`redis://127.0.0.1:${port}`, 500)).rejects.toThrow(/Redis at/);
      await expect(probePostgres(`postgres://x@127.0.0.1:${port}/x`, 500)).rejects.toThrow(
        /Postgres at/,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });
});
