import { fileURLToPath } from 'node:url';
import {
  type ApiProcess,
  type AppProcess,
  startApiProcess,
  startAppProcess,
} from '@notifykit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useWorkerHarness } from '../test/worker-harness.ts';

// The API and the webhook worker as real processes, started the way the README tells operators
// to start them (node <app>/src/…), delivering to a real local receiver.

const workerDir = fileURLToPath(new URL('..', import.meta.url));
const apiDir = fileURLToPath(new URL('../../api', import.meta.url));
const harness = useWorkerHarness();
const { receiver } = harness;
let api: ApiProcess;
let worker: AppProcess | undefined;

beforeAll(async () => {
  const prefix = harness.newPrefix();
  // One attempt per job, so a failure is final and the retry endpoint has work to do.
  const shared = { NODE_ENV: 'test', LOG_LEVEL: 'info', RETRY_MAX_ATTEMPTS: '1' };
  const workerEnv = harness.childEnv(prefix, shared);
  worker = startAppProcess('src/main.ts', { cwd: workerDir, env: workerEnv });
  [api] = await Promise.all([
    startApiProcess({
      apiDir,
      env: {
        ...shared,
        DATABASE_URL: workerEnv.DATABASE_URL ?? '',
        REDIS_URL: workerEnv.REDIS_URL ?? '',
        REDIS_PREFIX: prefix,
        ENCRYPTION_KEYS: harness.encryptionKeys,
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    }),
    worker.waitForLine(/"msg":"webhook-worker started"/, 30_000),
  ]);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
  expect(codes).toEqual([0, 0]);
}, 60_000);

function call(
  path: string,
  { apiKey, ...init }: { method?: string; apiKey: string; body?: unknown },
) {
  return api.request(path, { ...init, headers: { 'x-api-key': apiKey } });
}

it('delivers a webhook sent through the API once, and again after a retry through the API', async () => {
  const created = await api.createCustomer('startup');
  expect(created.status).toBe(201);
  const apiKey = created.body.data.apiKey as string;

  const sent = await call('/api/v1/notifications/webhook', {
    method: 'POST',
    apiKey,
    body: { url: receiver.url('/e2e/ok'), payload: { event: 'user.created', id: 7 } },
  });
  expect(sent.status).toBe(202);
  const jobId = sent.body.data.jobId as string;
  const job = await api.settledJob(jobId, apiKey);
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
  expect(await api.settledJob(flakyId, apiKey)).toMatchObject({
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
  const after = await api.settledJob(flakyId, apiKey);
  expect(after).toMatchObject({ status: 'completed', attempts: 1, errorMessage: null });
  expect(after.deliveryLogs).toMatchObject([
    { attempt: 1, status: 'failed', statusCode: 500 },
    { attempt: 2, status: 'success', statusCode: 200 },
  ]);
  const flakyRequests = receiver.requestsTo('/e2e/flaky');
  expect(flakyRequests.map((request) => request.headers['webhook-id'])).toEqual([flakyId, flakyId]);
  expect(receiver.requestsTo('/e2e/ok')).toHaveLength(1);
}, 60_000);
