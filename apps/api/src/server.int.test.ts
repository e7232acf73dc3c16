import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '@notifykit/db';
import { startAppProcess, useTestDatabase, useTestRedis } from '@notifykit/testing';
import { expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const database = useTestDatabase({ migrate: migrateDatabase });
const redis = useTestRedis();

it('listens, answers /health, and exits 0 on SIGTERM', async () => {
  const api = startAppProcess('src/server.ts', {
    cwd: appDir,
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.bullmqPrefix,
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    },
  });
  const line = await api.waitForLine(/Server listening at http:\/\/127\.0\.0\.1:\d+/);
  const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
  expect(await api.stop('SIGTERM')).toBe(0);
});

it('refuses to start without its required configuration, naming each variable', async () => {
  const api = startAppProcess('src/server.ts', {
    cwd: appDir,
    env: { DATABASE_URL: '', REDIS_URL: '', ENCRYPTION_KEYS: '' },
  });
  expect(await api.waitForExit()).toBe(1);
  const output = api.lines.join('\n');
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'ENCRYPTION_KEYS'])
    expect(output).toContain(name);
});
