import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '@notifykit/db';
import {
  type AppProcess,
  type SendGridServer,
  startAppProcess,
  startSendGridServer,
  useTestDatabase,
  useTestRedis,
} from '@notifykit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// API + email worker as real processes, started the way the README tells operators to start
// them (node <app>/src/…), against the local SendGrid-compatible server.

const workerDir = fileURLToPath(new URL('..', import.meta.url));
const apiDir = fileURLToPath(new URL('../../api', import.meta.url));
const database = useTestDatabase({ migrate: migrateDatabase });
const redis = useTestRedis();

const OPERATOR_KEY = `SG.e2e-${randomBytes(6).toString('hex')}`;
const ADMIN_TOKEN = `admin_${randomBytes(24).toString('hex')}`;
let sendgrid: SendGridServer;
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
  sendgrid = await startSendGridServer({ apiKeys: [OPERATOR_KEY] });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.bullmqPrefix,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  };
  api = startAppProcess('src/server.ts', {
    cwd: apiDir,
    env: { ...shared, HOST: '127.0.0.1', PORT: String(port), ADMIN_TOKEN },
  });
  worker = startAppProcess('src/main.ts', {
    cwd: workerDir,
    env: {
      ...shared,
      SENDGRID_API_KEY: OPERATOR_KEY,
      SENDGRID_API_URL: sendgrid.url,
      EMAIL_FROM_DEFAULT: 'NotifyKit <no-reply@notifykit.test>',
    },
  });
  await Promise.all([
    api.waitForLine(/"msg":"api started"/, 20_000),
    worker.waitForLine(/"msg":"email-worker started"/, 20_000),
  ]);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
  await sendgrid?.close();
  expect(codes).toEqual([0, 0]);
}, 60_000);

async function call(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown },
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data: Record<string, unknown> },
  };
}

it('sends an email through the API and the worker: 202, then completed with SendGrid’s message id', async () => {
  const created = await call('/admin/v1/customers', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: { name: 'E2E Co', email: 'owner@e2e.example', plan: 'free' },
  });
  expect(created.status).toBe(201);
  const apiKey = created.body.data.apiKey as string;

  const sent = await call('/api/v1/notifications/email', {
    method: 'POST',
    headers: { 'x-api-key': apiKey },
    body: { to: 'user@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>' },
  });
  expect(sent.status).toBe(202);
  expect(sent.body.data).toMatchObject({ status: 'pending', type: 'email' });
  const jobId = sent.body.data.jobId as string;

  let job: Record<string, unknown> = {};
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    job = (await call(`/api/v1/notifications/jobs/${jobId}`, { headers: { 'x-api-key': apiKey } }))
      .body.data;
    if (job.status === 'completed' || job.status === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  expect(job).toMatchObject({
    id: jobId,
    status: 'completed',
    attempts: 1,
    errorMessage: null,
    payload: { to: 'user@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>', from: null },
  });
  expect(job.deliveryLogs).toMatchObject([
    { attempt: 1, status: 'success', statusCode: 202, errorMessage: null },
  ]);

  expect(sendgrid.requests).toHaveLength(1);
  const [request] = sendgrid.requests;
  expect(request?.apiKey).toBe(OPERATOR_KEY);
  expect(request?.body).toMatchObject({
    from: { email: 'no-reply@notifykit.test', name: 'NotifyKit' },
    personalizations: [{ to: [{ email: 'user@example.com' }] }],
    subject: 'Welcome!',
    content: [
      { type: 'text/plain', value: 'Hello' },
      { type: 'text/html', value: '<h1>Hello</h1>' },
    ],
    custom_args: { notifykit_job_id: jobId },
  });
  const finished = worker?.lines.find((line) => line.includes('"msg":"email attempt finished"'));
  expect(finished && JSON.parse(finished)).toMatchObject({
    jobId,
    providerMessageId: request?.messageId,
  });
  expect(worker?.lines.join('\n')).not.toContain('user@example.com');
});
