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
  useWebhookReceiver,
} from '@notifykit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type JobRecord,
  NotifyKitApiError,
  SDK_MAX_RETRY_AFTER_SECONDS,
  SdkWireClient,
  type SendAccepted,
  verifyWebhookSignature,
} from '../test/sdk-wire-client.ts';

// The official SDK's view of NotifyKit: the API, the webhook worker and the email worker run as
// real child processes (started the way the README tells operators to), and every product call
// goes through a client that behaves on the wire exactly as CONTRACT.md says @notifykit/sdk
// 2.0.0 does (test/sdk-wire-client.ts). Only operator set-up (customers, overrides) and the
// signing-secret setting use plain fetch. Each test has its own customer, so they run
// concurrently and the file takes about as long as its slowest test (the rate-limit one, which
// waits the SDK's two capped 429 retries).

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const webhookWorkerDir = fileURLToPath(new URL('../../webhook-worker', import.meta.url));
const emailWorkerDir = fileURLToPath(new URL('../../email-worker', import.meta.url));
const database = useTestDatabase({ migrate: migrateDatabase });
const redis = useTestRedis();
const receiver = useWebhookReceiver();

const OPERATOR_SENDGRID_KEY = `SG.sdk-${randomBytes(6).toString('hex')}`;
const DOCS_URL = 'https://docs.notifykit.test/api';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const JOB_ID = /^job_[0-9a-z]{30}$/;
const RETRY_NOT_POSSIBLE = 'Job not found or cannot be retried (must be in failed status)';

const JOB_RECORD_FIELDS = [
  'id',
  'type',
  'status',
  'priority',
  'payload',
  'attempts',
  'maxAttempts',
  'errorMessage',
  'createdAt',
  'startedAt',
  'completedAt',
  'nextAttemptAt',
  'deliveryLogs',
];
const DELIVERY_LOG_FIELDS = [
  'id',
  'attempt',
  'status',
  'statusCode',
  'durationMs',
  'errorMessage',
  'createdAt',
];
const SUMMARY_FIELDS = [
  'id',
  'type',
  'status',
  'priority',
  'attempts',
  'errorMessage',
  'createdAt',
  'completedAt',
];

let sendgrid: SendGridServer;
let api: ApiProcess;
let webhookWorker: AppProcess | undefined;
let emailWorker: AppProcess | undefined;

beforeAll(async () => {
  sendgrid = await startSendGridServer({ apiKeys: [OPERATOR_SENDGRID_KEY] });
  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.bullmqPrefix,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  };
  const fastRetries = {
    RETRY_BASE_DELAY_MS: '200',
    RETRY_MULTIPLIER: '2',
    RETRY_JITTER_RATIO: '0',
    SHUTDOWN_GRACE_MS: '5000',
  };
  // The receiver listens on 127.0.0.1 over plain http: allow exactly that host, nothing else.
  const receiverAccess = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };
  webhookWorker = startAppProcess('src/main.ts', {
    cwd: webhookWorkerDir,
    env: { ...shared, ...fastRetries, ...receiverAccess, WEBHOOK_TIMEOUT_MS: '5000' },
  });
  emailWorker = startAppProcess('src/main.ts', {
    cwd: emailWorkerDir,
    env: {
      ...shared,
      ...fastRetries,
      EMAIL_TRANSPORT: 'sendgrid',
      SENDGRID_API_KEY: OPERATOR_SENDGRID_KEY,
      SENDGRID_API_URL: sendgrid.url,
      EMAIL_FROM_DEFAULT: 'NotifyKit <no-reply@notifykit.test>',
    },
  });
  [api] = await Promise.all([
    startApiProcess({ apiDir, env: { ...shared, ...receiverAccess, DOCS_URL } }),
    webhookWorker.waitForLine(/"msg":"webhook-worker started"/, 30_000),
    emailWorker.waitForLine(/"msg":"email-worker started"/, 30_000),
  ]);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all([
    api?.stop('SIGTERM'),
    webhookWorker?.stop('SIGTERM'),
    emailWorker?.stop('SIGTERM'),
  ]);
  await sendgrid?.close();
  expect(codes).toEqual([0, 0, 0]);
}, 60_000);

/** One request/response pair as the client put it on the wire. */
interface WireExchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
  status: number;
  responseHeaders: Headers;
  responseBody: Record<string, unknown>;
  sentAt: number;
  answeredAt: number;
}

/** A fetch that records every exchange, for assertions about the wire. */
function recordingFetch(log: WireExchange[]): typeof fetch {
  return async (input, init) => {
    const sentAt = performance.now();
    const response = await fetch(input, init);
    const text = await response.clone().text();
    log.push({
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? init.body : undefined,
      status: response.status,
      responseHeaders: response.headers,
      responseBody: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      sentAt,
      answeredAt: performance.now(),
    });
    return response;
  };
}

interface Customer {
  id: string;
  apiKey: string;
  client: SdkWireClient;
  wire: WireExchange[];
}

async function newCustomer(plan: string): Promise<Customer> {
  const created = await api.createCustomer(plan);
  if (created.status !== 201) throw new Error(`customer not created: ${created.status}`);
  const apiKey = created.body.data.apiKey as string;
  const id = (created.body.data.customer as { id: string }).id;
  const wire: WireExchange[] = [];
  const client = new SdkWireClient({ baseUrl: api.baseUrl, apiKey, fetch: recordingFetch(wire) });
  return { id, apiKey, client, wire };
}

/** Creates (or rotates) the customer's signing secret through the settings API. */
async function createSigningSecret(customer: Customer): Promise<string> {
  const response = await fetch(`${api.baseUrl}/api/v1/settings/webhook-secret`, {
    method: 'POST',
    headers: { 'X-API-Key': customer.apiKey },
  });
  const body = (await response.json()) as { data: { secret: string } };
  if (response.status !== 201) throw new Error(`secret not created: ${response.status}`);
  return body.data.secret;
}

/** Polls getJob through the client until the job is in one of `statuses`. */
async function waitForJob(
  client: SdkWireClient,
  jobId: string,
  statuses: readonly string[] = ['completed', 'failed'],
  timeoutMs = 15_000,
): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.getJob(jobId);
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The error a client call rejected with (fails when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<NotifyKitApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NotifyKitApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Every exchange carried the SDK's two headers (and nothing decides them but the client). */
function expectSdkHeaders(wire: readonly WireExchange[]) {
  for (const exchange of wire) {
    expect(exchange.headers).toEqual({
      'X-API-Key': expect.stringMatching(/^.+$/),
      'Content-Type': 'application/json',
    });
  }
}

describe.concurrent('the official SDK against NotifyKit', () => {
  it('ping answers pong and getApiInfo describes the server', async ({ expect }) => {
    const customer = await newCustomer('free');
    expect(await customer.client.ping()).toEqual({ message: 'pong' });
    const info = await customer.client.getApiInfo();
    expect(info).toEqual({
      name: 'NotifyKit',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      description: expect.stringMatching(/\S/),
      documentation: DOCS_URL,
    });
    expect(customer.wire.map((exchange) => [exchange.method, exchange.url.pathname])).toEqual([
      ['GET', '/api/v1/ping'],
      ['GET', '/api/v1/info'],
    ]);
    expectSdkHeaders(customer.wire);
    // The info route is public: the SDK's key rides along and a wrong one does not matter.
    const stranger = new SdkWireClient({ baseUrl: api.baseUrl, apiKey: `nh_${'0'.repeat(64)}` });
    expect(await stranger.getApiInfo()).toEqual(info);
  });

  it('sends an email for a free customer and reports the job exactly as CONTRACT §4 lists it', async ({
    expect,
  }) => {
    const customer = await newCustomer('free');
    const accepted = await customer.client.sendEmail({
      to: 'jane@example.com',
      subject: 'Welcome!',
      body: '<h1>Hello</h1>',
    });
    expect(accepted).toEqual({
      jobId: expect.stringMatching(JOB_ID),
      status: 'pending',
      type: 'email',
      createdAt: expect.stringMatching(ISO_MS),
    });
    expect(customer.wire[0]?.body).toBe(
      JSON.stringify({ to: 'jane@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>' }),
    );

    const job = await waitForJob(customer.client, accepted.jobId);
    expect(Object.keys(job).sort()).toEqual([...JOB_RECORD_FIELDS].sort());
    expect(job).toEqual({
      id: accepted.jobId,
      type: 'email',
      status: 'completed',
      priority: 5,
      payload: { to: 'jane@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>', from: null },
      attempts: 1,
      maxAttempts: 3,
      errorMessage: null,
      createdAt: accepted.createdAt,
      startedAt: expect.stringMatching(ISO_MS),
      completedAt: expect.stringMatching(ISO_MS),
      nextAttemptAt: null,
      deliveryLogs: [
        {
          id: expect.stringMatching(/^att_[0-9a-z]{30}$/),
          attempt: 1,
          status: 'success',
          statusCode: 202,
          durationMs: expect.any(Number),
          errorMessage: null,
          createdAt: expect.stringMatching(ISO_MS),
        },
      ],
    });
    const [log] = job.deliveryLogs;
    expect(Object.keys(log ?? {}).sort()).toEqual([...DELIVERY_LOG_FIELDS].sort());
    expect(Number.isInteger(log?.durationMs) && (log?.durationMs ?? -1) >= 0).toBe(true);
    const created = Date.parse(job.createdAt);
    const started = Date.parse(job.startedAt ?? '');
    const completed = Date.parse(job.completedAt ?? '');
    expect(started).toBeGreaterThanOrEqual(created);
    expect(completed).toBeGreaterThanOrEqual(started);

    // Free customers send through the operator's key from the default sender.
    const mail = sendgrid.requests.find(
      (request) =>
        (request.body as { custom_args?: Record<string, string> } | undefined)?.custom_args
          ?.notifykit_job_id === accepted.jobId,
    );
    expect(mail?.apiKey).toBe(OPERATOR_SENDGRID_KEY);
    expect(mail?.body).toMatchObject({
      from: { email: 'no-reply@notifykit.test' },
      personalizations: [{ to: [{ email: 'jane@example.com' }] }],
      subject: 'Welcome!',
    });
    expectSdkHeaders(customer.wire);
    expect(customer.wire.every((exchange) => exchange.status < 300)).toBe(true);
  });

  it('signs webhooks so that verifyWebhookSignature accepts the raw request, also after a rotation', async ({
    expect,
  }) => {
    const customer = await newCustomer('startup');
    const secret = await createSigningSecret(customer);
    expect(secret).toMatch(/^whsec_/);
    const payload = { event: 'user.created', name: 'Zoë ✓', nested: { ids: [1, 2, 3] } };

    const accepted = await customer.client.sendWebhook({
      url: receiver.url('/sdk/signed'),
      payload,
      headers: { 'X-Source': 'sdk-test' },
    });
    expect(await waitForJob(customer.client, accepted.jobId)).toMatchObject({
      status: 'completed',
      payload: {
        url: receiver.url('/sdk/signed'),
        method: 'POST',
        headers: { 'X-Source': '***' },
        payload,
      },
    });
    const [request] = receiver.requestsTo('/sdk/signed');
    if (!request) throw new Error('the receiver saw nothing');
    const timestamp = String(request.headers['x-webhook-timestamp']);
    const signature = String(request.headers['x-webhook-signature']);
    expect(request.body).toBe(JSON.stringify(payload));
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^NotifyKit\/\S+$/),
      'webhook-id': accepted.jobId,
      'x-source': 'sdk-test',
    });
    expect(signature).toMatch(new RegExp(`^t=${timestamp},v1=[0-9a-f]{64}$`));
    expect(customer.client.verifyWebhookSignature(request.body, timestamp, signature, secret)).toBe(
      true,
    );
    // And the verifier is no rubber stamp.
    const verify = verifyWebhookSignature;
    expect(verify(`${request.body} `, timestamp, signature, secret)).toBe(false);
    expect(verify(request.body, String(Number(timestamp) + 1), signature, secret)).toBe(false);
    expect(verify(request.body, timestamp, signature, `${secret}x`)).toBe(false);
    expect(verify(request.body, timestamp, signature, secret, Number(timestamp) + 301)).toBe(false);
    expect(verify(request.body, timestamp, signature, secret, Number(timestamp) - 1)).toBe(false);

    // During the rotation overlap both secrets sign; the SDK keeps the last v1: the new secret.
    const rotated = await createSigningSecret(customer);
    const second = await customer.client.sendWebhook({
      url: receiver.url('/sdk/rotated'),
      payload: { event: 'user.updated' },
    });
    expect(await waitForJob(customer.client, second.jobId)).toMatchObject({ status: 'completed' });
    const [afterRotation] = receiver.requestsTo('/sdk/rotated');
    if (!afterRotation) throw new Error('the receiver saw nothing');
    const rotatedSignature = String(afterRotation.headers['x-webhook-signature']);
    expect(rotatedSignature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(
      customer.client.verifyWebhookSignature(
        afterRotation.body,
        String(afterRotation.headers['x-webhook-timestamp']),
        rotatedSignature,
        rotated,
      ),
    ).toBe(true);
    expectSdkHeaders(customer.wire);
  });

  it('lists jobs with page, limit, type and status exactly as CONTRACT §4 describes', async ({
    expect,
  }) => {
    const customer = await newCustomer('enterprise');
    receiver.script('/sdk/list-reject', { status: 410 });
    const sent: SendAccepted[] = [];
    sent.push(await customer.client.sendEmail({ to: 'a@example.com', subject: 'A', body: 'a' }));
    sent.push(await customer.client.sendWebhook({ url: receiver.url('/sdk/list'), payload: {} }));
    sent.push(await customer.client.sendEmail({ to: 'b@example.com', subject: 'B', body: 'b' }));
    sent.push(
      await customer.client.sendWebhook({ url: receiver.url('/sdk/list-reject'), payload: {} }),
    );
    sent.push(await customer.client.sendWebhook({ url: receiver.url('/sdk/list'), payload: {} }));
    const settled = await Promise.all(sent.map((job) => waitForJob(customer.client, job.jobId)));
    customer.wire.length = 0;

    const all = await customer.client.listJobs();
    expect(Object.keys(all).sort()).toEqual(['data', 'pagination']);
    expect(all.pagination).toEqual({ page: 1, limit: 20, total: 5, totalPages: 1 });
    // Newest first: createdAt desc, then id desc.
    const newestFirst = [...settled].sort(
      (a, b) =>
        Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
        (b.id < a.id ? -1 : b.id > a.id ? 1 : 0),
    );
    expect(all.data.map((job) => job.id)).toEqual(newestFirst.map((job) => job.id));
    for (const summary of all.data) {
      expect(Object.keys(summary).sort()).toEqual([...SUMMARY_FIELDS].sort());
      const record = settled.find((job) => job.id === summary.id);
      expect(summary).toEqual({
        id: record?.id,
        type: record?.type,
        status: record?.status,
        priority: 5,
        attempts: 1,
        errorMessage: record?.errorMessage,
        createdAt: record?.createdAt,
        completedAt: record?.completedAt,
      });
      expect(summary.createdAt).toMatch(ISO_MS);
    }
    const failed = all.data.find((job) => job.status === 'failed');
    expect(failed).toMatchObject({ id: sent[3]?.jobId, type: 'webhook', completedAt: null });
    expect(failed?.errorMessage).toEqual(expect.stringMatching(/\S/));
    expect(all.data.filter((job) => job.status === 'completed')).toHaveLength(4);
    for (const job of all.data.filter((job) => job.status === 'completed')) {
      expect(job.completedAt).toMatch(ISO_MS);
      expect(job.errorMessage).toBeNull();
    }

    const page2 = await customer.client.listJobs({ page: 2, limit: 2 });
    expect(page2.pagination).toEqual({ page: 2, limit: 2, total: 5, totalPages: 3 });
    expect(page2.data.map((job) => job.id)).toEqual(all.data.slice(2, 4).map((job) => job.id));
    const page3 = await customer.client.listJobs({ page: 3, limit: 2 });
    expect(page3.data.map((job) => job.id)).toEqual(all.data.slice(4).map((job) => job.id));
    const pastTheEnd = await customer.client.listJobs({ page: 4, limit: 2 });
    expect(pastTheEnd).toEqual({
      data: [],
      pagination: { page: 4, limit: 2, total: 5, totalPages: 3 },
    });

    const emails = await customer.client.listJobs({ type: 'email' });
    expect(emails.pagination).toEqual({ page: 1, limit: 20, total: 2, totalPages: 1 });
    expect(emails.data.map((job) => job.id)).toEqual(
      all.data.filter((job) => job.type === 'email').map((job) => job.id),
    );
    const failedWebhooks = await customer.client.listJobs({
      type: 'webhook',
      status: 'failed',
      page: 1,
      limit: 10,
    });
    expect(failedWebhooks).toEqual({
      data: [failed],
      pagination: { page: 1, limit: 10, total: 1, totalPages: 1 },
    });
    const completed = await customer.client.listJobs({ status: 'completed', limit: 3 });
    expect(completed.pagination).toEqual({ page: 1, limit: 3, total: 4, totalPages: 2 });
    expect(completed.data.every((job) => job.status === 'completed')).toBe(true);
    const none = await customer.client.listJobs({ status: 'pending' });
    expect(none).toEqual({
      data: [],
      pagination: { page: 1, limit: 20, total: 0, totalPages: 0 },
    });

    // The query string holds exactly the parameters given, undefined ones left out.
    await customer.client.listJobs({ type: 'webhook', page: undefined, status: undefined });
    expect(customer.wire.map((exchange) => exchange.url.search)).toEqual([
      '',
      '?page=2&limit=2',
      '?page=3&limit=2',
      '?page=4&limit=2',
      '?type=email',
      '?page=1&limit=10&type=webhook&status=failed',
      '?limit=3&status=completed',
      '?status=pending',
      '?type=webhook',
    ]);

    // A value out of range is a 400 naming the parameter, and a 4xx is not retried.
    customer.wire.length = 0;
    const tooMany = await rejection(customer.client.listJobs({ limit: 101 }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.error).toContain('limit');
    const badStatus = await rejection(customer.client.listJobs({ status: 'done' }));
    expect(badStatus.status).toBe(400);
    expect(badStatus.error).toContain('status');
    expect(customer.wire).toHaveLength(2);
    expectSdkHeaders(customer.wire);
  });

  it('retries a failed webhook through retryJob and delivers it again', async ({ expect }) => {
    const customer = await newCustomer('startup');
    receiver.script('/sdk/rejecting', { status: 400, body: 'no thanks' }, { status: 200 });
    const accepted = await customer.client.sendWebhook({
      url: receiver.url('/sdk/rejecting'),
      payload: { event: 'order.paid', orderId: 1234 },
    });
    const failed = await waitForJob(customer.client, accepted.jobId);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      completedAt: null,
      nextAttemptAt: null,
      errorMessage: expect.stringMatching(/400/),
      deliveryLogs: [{ attempt: 1, status: 'failed', statusCode: 400 }],
    });
    expect(Object.keys(failed).sort()).toEqual([...JOB_RECORD_FIELDS].sort());

    customer.wire.length = 0;
    const retried = await customer.client.retryJob(accepted.jobId);
    expect(retried).toEqual({
      jobId: accepted.jobId,
      status: 'pending',
      message: 'Job has been re-queued for processing',
    });
    // The retry is a POST without a body, yet with the SDK's JSON content type.
    expect(customer.wire).toHaveLength(1);
    expect(customer.wire[0]).toMatchObject({
      method: 'POST',
      body: undefined,
      status: 200,
    });
    expect(customer.wire[0]?.url.pathname).toBe(
      `/api/v1/notifications/jobs/${accepted.jobId}/retry`,
    );

    const delivered = await waitForJob(customer.client, accepted.jobId);
    expect(delivered).toMatchObject({
      status: 'completed',
      attempts: 1,
      errorMessage: null,
      completedAt: expect.stringMatching(ISO_MS),
      nextAttemptAt: null,
    });
    expect(delivered.deliveryLogs).toMatchObject([
      { attempt: 1, status: 'failed', statusCode: 400 },
      { attempt: 2, status: 'success', statusCode: 200, errorMessage: null },
    ]);
    for (const log of delivered.deliveryLogs) {
      expect(Object.keys(log).sort()).toEqual([...DELIVERY_LOG_FIELDS].sort());
    }
    const requests = receiver.requestsTo('/sdk/rejecting');
    expect(requests.map((request) => request.headers['webhook-id'])).toEqual([
      accepted.jobId,
      accepted.jobId,
    ]);

    // Now completed: a second retry is the seed's 404.
    const again = await rejection(customer.client.retryJob(accepted.jobId));
    expect([again.status, again.error]).toEqual([404, RETRY_NOT_POSSIBLE]);
    expectSdkHeaders(customer.wire);
  });

  it('raises the contract errors with their status and sentence, without retrying 4xx', async ({
    expect,
  }) => {
    const customer = await newCustomer('startup');
    const other = await newCustomer('startup');
    const accepted = await other.client.sendWebhook({
      url: receiver.url('/sdk/other'),
      payload: { event: 'x' },
    });
    customer.wire.length = 0;

    const unknownId = `job_${'0'.repeat(10)}${'a'.repeat(20)}`;
    for (const jobId of [unknownId, 'not-a-job-id', 'job_123', 'job_!', accepted.jobId]) {
      const error = await rejection(customer.client.getJob(jobId));
      expect([jobId, error.status, error.error]).toEqual([jobId, 404, 'Job not found']);
      expect(error).toBeInstanceOf(NotifyKitApiError);
      expect(error.message).toBe('Job not found');
    }
    for (const jobId of [unknownId, 'not-a-job-id', accepted.jobId]) {
      const error = await rejection(customer.client.retryJob(jobId));
      expect([jobId, error.status, error.error]).toEqual([jobId, 404, RETRY_NOT_POSSIBLE]);
    }
    // Job ids go into the path as given.
    expect(customer.wire.map((exchange) => exchange.url.pathname)).toEqual([
      `/api/v1/notifications/jobs/${unknownId}`,
      '/api/v1/notifications/jobs/not-a-job-id',
      '/api/v1/notifications/jobs/job_123',
      '/api/v1/notifications/jobs/job_!',
      `/api/v1/notifications/jobs/${accepted.jobId}`,
      `/api/v1/notifications/jobs/${unknownId}/retry`,
      '/api/v1/notifications/jobs/not-a-job-id/retry',
      `/api/v1/notifications/jobs/${accepted.jobId}/retry`,
    ]);
    expect(customer.wire.every((exchange) => exchange.status === 404)).toBe(true);
    expectSdkHeaders(customer.wire);

    // However long a malformed id, it is the route's 404, not a router error; one longer than
    // any URL the server reads is refused in the same envelope.
    const longId = `job_${'a'.repeat(5000)}`;
    const longGet = await rejection(customer.client.getJob(longId));
    expect([longGet.status, longGet.error]).toEqual([404, 'Job not found']);
    const longRetry = await rejection(customer.client.retryJob(longId));
    expect([longRetry.status, longRetry.error]).toEqual([404, RETRY_NOT_POSSIBLE]);
    const hugeId = `job_${'a'.repeat(20_000)}`;
    const huge = await rejection(customer.client.getJob(hugeId));
    expect(huge.status).toBe(431);
    expect(huge.body).toEqual({
      success: false,
      error: 'Request URL or headers are too large',
      timestamp: expect.stringMatching(ISO_MS),
    });

    const badWire: WireExchange[] = [];
    const unknownKey = new SdkWireClient({
      baseUrl: api.baseUrl,
      apiKey: `nh_${randomBytes(32).toString('hex')}`,
      fetch: recordingFetch(badWire),
    });
    const invalid = await rejection(unknownKey.ping());
    expect([invalid.status, invalid.error]).toEqual([401, 'Invalid API key']);
    const sendInvalid = await rejection(
      unknownKey.sendWebhook({ url: receiver.url('/sdk/never'), payload: {} }),
    );
    expect([sendInvalid.status, sendInvalid.error]).toEqual([401, 'Invalid API key']);
    const malformedKey = new SdkWireClient({ baseUrl: api.baseUrl, apiKey: 'sk_live_nope' });
    const badFormat = await rejection(malformedKey.listJobs());
    expect([badFormat.status, badFormat.error]).toEqual([401, 'Invalid API key format']);
    expect(badWire.map((exchange) => exchange.status)).toEqual([401, 401]);
    expect(receiver.requestsTo('/sdk/never')).toHaveLength(0);
  });

  it('replays a send with the same idempotencyKey: one job, the same jobId', async ({ expect }) => {
    const customer = await newCustomer('startup');
    const params = {
      url: receiver.url('/sdk/idempotent'),
      payload: { event: 'invoice.paid', invoice: 'inv_42' },
      idempotencyKey: `invoice-${randomBytes(4).toString('hex')}`,
    };
    const first = await customer.client.sendWebhook(params);
    const second = await customer.client.sendWebhook(params);
    expect(second).toEqual(first);
    expect(customer.wire.map((exchange) => exchange.status)).toEqual([202, 202]);
    expect(customer.wire[0]?.responseHeaders.get('idempotent-replayed')).toBeNull();
    expect(customer.wire[1]?.responseHeaders.get('idempotent-replayed')).toBe('true');

    const conflicting = await rejection(
      customer.client.sendWebhook({ ...params, payload: { event: 'invoice.voided' } }),
    );
    expect([conflicting.status, conflicting.error]).toEqual([
      422,
      'Idempotency key has already been used with a different request',
    ]);

    await waitForJob(customer.client, first.jobId);
    const list = await customer.client.listJobs();
    expect(list.pagination.total).toBe(1);
    expect(list.data.map((job) => job.id)).toEqual([first.jobId]);
    expect(receiver.requestsTo('/sdk/idempotent')).toHaveLength(1);
    expectSdkHeaders(customer.wire);
  });

  it('waits min(retryAfter, 10) s on each 429, retries twice, then raises the 429', async ({
    expect,
  }) => {
    const customer = await newCustomer('free');
    const patched = await api.request(`/admin/v1/customers/${customer.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${api.adminToken}` },
      body: { rateLimitPerMinute: 2 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      rateLimitPerMinute: 2,
      effectiveLimits: { sendRateLimitPerMinute: 2 },
    });

    const send = () =>
      customer.client.sendWebhook({ url: receiver.url('/sdk/limited'), payload: { n: 1 } });
    await send();
    await send();
    const started = performance.now();
    const error = await rejection(send());
    const elapsedMs = performance.now() - started;

    // Two sends a minute, both spent a moment ago: no reading of "2 per minute" lets a third
    // through within the ~20 s the SDK waits (2 x min(retryAfter, 10) s), so the third call
    // ends in the 429, which carries the server's sentence and retryAfter.
    expect(error.status).toBe(429);
    expect(error.error).toBe('Rate limit exceeded');
    const finalRetryAfter = (error.body as { retryAfter?: unknown }).retryAfter;
    expect(Number.isInteger(finalRetryAfter)).toBe(true);
    expect(finalRetryAfter).toBeGreaterThanOrEqual(1);

    const third = customer.wire.slice(2);
    expect(third.map((exchange) => exchange.status)).toEqual([429, 429, 429]);
    for (const exchange of third) {
      const retryAfter = exchange.responseBody.retryAfter as number;
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(exchange.responseHeaders.get('retry-after')).toBe(String(retryAfter));
      expect(exchange.responseHeaders.get('ratelimit-limit')).toBe('2');
      expect(exchange.responseHeaders.get('ratelimit-remaining')).toBe('0');
      expect(exchange.body).toBe(third[0]?.body);
    }
    let waitedMs = 0;
    for (const [index, exchange] of third.slice(0, -1).entries()) {
      const retryAfter = exchange.responseBody.retryAfter as number;
      const expectedMs = Math.min(retryAfter, SDK_MAX_RETRY_AFTER_SECONDS) * 1000;
      const gapMs = (third[index + 1]?.sentAt ?? 0) - exchange.answeredAt;
      expect(gapMs).toBeGreaterThanOrEqual(expectedMs - 50);
      expect(gapMs).toBeLessThan(expectedMs + 1000);
      waitedMs += expectedMs;
    }
    expect(elapsedMs).toBeGreaterThanOrEqual(waitedMs - 50);
    expect(receiver.requestsTo('/sdk/limited').length).toBeLessThanOrEqual(2);
    expectSdkHeaders(customer.wire);

    // Reads have their own, ten times larger bucket: the SDK can still look.
    expect((await customer.client.listJobs()).pagination.total).toBe(2);
  }, 45_000);
});

describe('the wire client itself', () => {
  it('retries 5xx up to two times for every method and then raises the status', async () => {
    const { createServer } = await import('node:http');
    const statuses = [503, 500, 200, 502, 502, 502];
    const seen: { method?: string; headers: Record<string, unknown> }[] = [];
    const server = createServer((request, response) => {
      seen.push({ method: request.method, headers: request.headers });
      const status = statuses.shift() ?? 500;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          status === 200
            ? { success: true, data: { message: 'pong' } }
            : { success: false, error: 'Service temporarily unavailable' },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const client = new SdkWireClient({
        baseUrl: `http://127.0.0.1:${port}/`,
        apiKey: 'nh_test',
        retryDelayMs: 10,
      });
      expect(await client.ping()).toEqual({ message: 'pong' });
      const error = await rejection(client.retryJob('job_x'));
      expect([error.status, error.error]).toEqual([502, 'Service temporarily unavailable']);
      expect(seen.map((request) => request.method)).toEqual([
        'GET',
        'GET',
        'GET',
        'POST',
        'POST',
        'POST',
      ]);
      for (const request of seen) {
        expect(request.headers).toMatchObject({
          'x-api-key': 'nh_test',
          'content-type': 'application/json',
        });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
