import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../test/test-app.ts';

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP connections and never answers: a dependency that hangs rather than refuses. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

const deadPort = await closedPort();
const silent = await silentServer();
afterAll(async () => {
  for (const socket of silent.sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.server.close(() => resolve()));
});

const healthy = useTestApp();
const redisDown = useTestApp({ REDIS_URL: `redis://127.0.0.1:${deadPort}` });
const postgresDown = useTestApp({
  DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/postgres`,
});
const bothHanging = useTestApp({
  REDIS_URL: `redis://127.0.0.1:${silent.port}`,
  DATABASE_URL: `postgres://postgres@127.0.0.1:${silent.port}/postgres`,
});

describe('GET /health', () => {
  it('answers 200 while the process runs, without touching dependencies', async () => {
    const response = await redisDown.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /ready', () => {
  it('is 200 when Postgres and Redis both answer', async () => {
    const response = await healthy.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is 503 naming Redis when Redis refuses connections', async () => {
    const response = await redisDown.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body).toEqual({
      success: false,
      error: 'Not ready: redis is down',
      status: 'unavailable',
      checks: { postgres: 'ok', redis: 'down' },
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('is 503 naming Postgres when Postgres refuses connections', async () => {
    const response = await postgresDown.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      success: false,
      error: 'Not ready: postgres is down',
      status: 'unavailable',
      checks: { postgres: 'down', redis: 'ok' },
    });
  });

  it('answers 503 within 3 s when both dependencies accept connections and hang', async () => {
    const started = performance.now();
    const response = await bothHanging.app.inject({ method: 'GET', url: '/ready' });
    const elapsedMs = performance.now() - started;
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error: 'Not ready: postgres and redis are down',
      checks: { postgres: 'down', redis: 'down' },
    });
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('keeps failure reasons out of the response', async () => {
    const response = await redisDown.app.inject({ method: 'GET', url: '/ready' });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain(String(deadPort));
  });
});
