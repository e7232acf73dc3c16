import { fileURLToPath } from 'node:url';
import { startAppProcess } from '@notifykit/testing';
import { expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));

it('starts, logs, and exits 0 on SIGTERM', async () => {
  const worker = startAppProcess('src/main.ts', { cwd: appDir, env: { LOG_LEVEL: 'info' } });
  await worker.waitForLine(/"msg":"webhook-worker started"/);
  expect(await worker.stop('SIGTERM')).toBe(0);
  expect(worker.lines.some((line) => line.includes('"msg":"shutdown complete"'))).toBe(true);
});

it('refuses to start with a clear message when its config is invalid', async () => {
  const worker = startAppProcess('src/main.ts', { cwd: appDir, env: { LOG_LEVEL: 'loud' } });
  const line = await worker.waitForLine(/LOG_LEVEL/);
  expect(line).toContain('LOG_LEVEL: must be one of');
  expect(await worker.waitForExit()).toBe(1);
});
