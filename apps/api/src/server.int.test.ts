import { fileURLToPath } from 'node:url';
import { startAppProcess } from '@notifykit/testing';
import { expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));

it('listens, answers /health, and exits 0 on SIGTERM', async () => {
  const api = startAppProcess('src/server.ts', {
    cwd: appDir,
    env: { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
  });
  const line = await api.waitForLine(/Server listening at http:\/\/127\.0\.0\.1:\d+/);
  const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
  expect(await api.stop('SIGTERM')).toBe(0);
});
