import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '@notifykit/db';
import {
  type ApiProcess,
  type AppProcess,
  type SendGridServer,
  startApiProcess,
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
let sendgrid: SendGridServer;
let api: ApiProcess;
let worker: AppProcess | undefined;

beforeAll(async () => {
  sendgrid = await startSendGridServer({ apiKeys: [OPERATOR_KEY] });
  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.bullmqPrefix,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  };
  worker = startAppProcess('src/main.ts', {
    cwd: workerDir,
    env: {
      ...shared,
      SENDGRID_API_KEY: OPERATOR_KEY,
      SENDGRID_API_URL: sendgrid.url,
      EMAIL_FROM_DEFAULT: 'NotifyKit <no-reply@notifykit.test>',
    },
  });
  [api] = await Promise.all([
    startApiProcess({ apiDir, env: shared, startTimeoutMs: 20_000 }),
    worker.waitForLine(/"msg":"email-worker started"/, 20_000),
  ]);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
  await sendgrid?.close();
  expect(codes).toEqual([0, 0]);
}, 60_000);

it('sends an email through the API and the worker: 202, then completed with SendGrid’s message id', async () => {
  const created = await api.createCustomer('free');
  expect(created.status).toBe(201);
  const apiKey = created.body.data.apiKey as string;

  const sent = await api.request('/api/v1/notifications/email', {
    method: 'POST',
    headers: { 'x-api-key': apiKey },
    body: { to: 'user@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>' },
  });
  expect(sent.status).toBe(202);
  expect(sent.body.data).toMatchObject({ status: 'pending', type: 'email' });
  const jobId = sent.body.data.jobId as string;

  const job = await api.settledJob(jobId, apiKey, 15_000);

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
