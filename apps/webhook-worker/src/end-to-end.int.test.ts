import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type AppProcess, startAppProcess } from '@notifykit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useWorkerHarness } from '../test/worker-harness.ts';

// The API and the webhook worker as real processes, started the way the README tells operators
// to start them (node <app>/src/…), delivering to a real local receiver.

const workerDir = fileURLToPath(new URL('..', import.meta.url));
const apiDir = fileURLToPath(new URL('../../api', import.meta.url));
const harness = useWorkerHarness();
const { receiver } = harness;
const ADMIN_TOKEN = `admin_${randomBytes(24).toString('hex')}`;
let api: AppProcess | undefined;
let worker: AppProcess | undefined;
let baseUrl = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  const prefix = harness.newPrefix();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // One attempt per job, so a failure is final and the retry endpoint has work to do.
  const shared = { NODE_ENV: 'test', LOG_LEVEL: 'info', RETRY_MAX_ATTEMPTS: '1' };
  const workerEnv = harness.childEnv(prefix, shared);
  api = startAppProcess('src/server.ts', {
    cwd: apiDir,
    env: {
      ...shared,
      DATABASE_URL: workerEnv.DATABASE_URL ?? '',
      REDIS_URL: workerEnv.REDIS_URL ?? '',
      REDIS_PREFIX: prefix,
      ENCRYPTION_KEYS: harness.encryptionKeys,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_TOKEN,
    },
  });
  worker = startAppProcess('src/main.ts', { cwd: workerDir, env: workerEnv });
  await Promise.all([
    api.waitForLine(/"msg":"api started"/, 30_000),
    worker.waitForLine(/"msg":"webhook-worker started"/, 30_000),
  ]);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
  expect(codes).toEqual([0, 0]);
}, 60_000);

async function call(path: string, init: { method?: string; apiKey?: string; body?: unknown } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.apiKey ? { 'x-api-key': init.apiKey } : { authorization: `Bearer ${ADMIN_TOKEN}` }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data: Record<string, unknown> },
  };
}

async function settledJob(jobId: string, apiKey: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await call(`/api/v1/notifications/jobs/${jobId}`, { apiKey });
    if (body.data.status === 'completed' || body.data.status === 'failed') return body.data;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${String(body.data.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('delivers a webhook sent through the API once, and again after a retry through the API', async () => {
  const created = await call('/admin/v1/customers', {
    method: 'POST',
    body: { name: 'E2E Hooks', email: 'owner@hooks.example', plan: 'startup' },
  });
  expect(created.status).toBe(201);
  const apiKey = created.body.data.apiKey as string;

  const sent = await call('/api/v1/notifications/webhook', {
    method: 'POST',
    apiKey,
    body: { url: receiver.url('/e2e/ok'), payload: { event: 'user.created', id: 7 } },
  });
  expect(sent.status).toBe(202);
  const jobId = sent.body.data.jobId as string;
  const job = await settledJob(jobId, apiKey);
  expect(job).toMatchObject({ id: jobId, status: 'completed', attempts: 1, errorMessage: null });
  expect(job.deliveryLogs).toMatchObject([{ attempt: 1, status: 'success', statusCode: 200 }]);
  const delivered = receiver.requestsTo('/e2e/ok');
  expect(delivered).toHaveLength(1);
  expect(delivered[0]?.headers['webhook-id']).toBe(jobId);
  expect(JSON.parse(delivered[0]?.body ?? '')).toEqual({ event: 'user.created', id: 7 });

  receiver.script('/e2e/flaky', { status: 500 }, { status: 200 });
  const flaky = await call('/api/v1/notifications/webhook', {
    method: 'POST',
    apiKey,
    body: { url: receiver.url('/e2e/flaky'), payload: { event: 'order.paid' } },
  });
  const flakyId = flaky.body.data.jobId as string;
  expect(await settledJob(flakyId, apiKey)).toMatchObject({
    status: 'failed',
    errorMessage: 'Webhook endpoint responded with HTTP 500 (gave up after 1 attempt)',
  });

  const retried = await call(`/api/v1/notifications/jobs/${flakyId}/retry`, {
    method: 'POST',
    apiKey,
  });
  expect(retried).toMatchObject({
    status: 200,
    body: { data: { jobId: flakyId, status: 'pending' } },
  });
  const after = await settledJob(flakyId, apiKey);
  expect(after).toMatchObject({ status: 'completed', attempts: 1, errorMessage: null });
  expect(after.deliveryLogs).toMatchObject([
    { attempt: 1, status: 'failed', statusCode: 500 },
    { attempt: 2, status: 'success', statusCode: 200 },
  ]);
  const flakyRequests = receiver.requestsTo('/e2e/flaky');
  expect(flakyRequests.map((request) => request.headers['webhook-id'])).toEqual([flakyId, flakyId]);
  expect(receiver.requestsTo('/e2e/ok')).toHaveLength(1);
}, 60_000);
