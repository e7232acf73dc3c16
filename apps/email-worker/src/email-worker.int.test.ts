import { sendGridErrorResponse } from '@notifykit/testing';
import { describe, expect, it } from 'vitest';
import { OPERATOR_KEY, useEmailTestBed } from '../test/email-test-bed.ts';
import {
  TEST_RETRY_BASE_DELAY_MS,
  TEST_SENDGRID_TIMEOUT_MS,
  useEmailWorker,
} from '../test/email-worker-harness.ts';

// The seed's exact words, spelled out so a change to the shared constant cannot go unnoticed.
const MISSING_SENDGRID_KEY_MESSAGE =
  'Please add your SendGrid API key in settings before sending emails.';

const bed = useEmailTestBed();
const worker = useEmailWorker(bed);

const MAYBE_SENT = 'the email may have been sent, so the retry can deliver it twice';

function gapsMs(): number[] {
  const times = bed.sendgrid.requests.map((request) => request.receivedAt.getTime());
  return times.slice(1).map((time, index) => time - (times[index] ?? time));
}

describe('email worker through the queue', () => {
  it('delivers a free customer’s email once, with the operator key and default sender', async () => {
    const customer = await bed.createCustomer('free');
    const jobId = await worker.send(customer, {
      to: 'ada@example.com',
      subject: 'Welcome!',
      body: '<h1>Hello</h1>',
    });
    const { job, deliveryAttempts } = await worker.waitForJob(customer, jobId);

    expect(bed.sendgrid.requests).toHaveLength(1);
    const [request] = bed.sendgrid.requests;
    expect(request?.apiKey).toBe(OPERATOR_KEY);
    expect(request?.body).toMatchObject({
      from: { email: 'no-reply@notifykit.test', name: 'NotifyKit' },
      personalizations: [{ to: [{ email: 'ada@example.com' }] }],
      subject: 'Welcome!',
      content: [
        { type: 'text/plain', value: 'Hello' },
        { type: 'text/html', value: '<h1>Hello</h1>' },
      ],
    });
    expect(job).toMatchObject({ status: 'completed', attempts: 1, errorMessage: null });
    expect(deliveryAttempts).toMatchObject([
      {
        attemptNumber: 1,
        status: 'success',
        statusCode: 202,
        errorMessage: null,
        providerMessageId: request?.messageId,
      },
    ]);
    expect(deliveryAttempts[0]?.providerMessageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('sends with an indie customer’s key and from, and fails a queued job once the key is deleted', async () => {
    const customerKey = 'SG.indie-queue-key';
    const customer = await bed.createCustomer('indie', customerKey);
    const first = await worker.send(customer, { from: 'hello@indie.example' });
    expect((await worker.waitForJob(customer, first)).job.status).toBe('completed');
    expect(bed.sendgrid.requests.map((r) => r.apiKey)).toEqual([customerKey]);
    expect(bed.sendgrid.requests[0]?.body).toMatchObject({
      from: { email: 'hello@indie.example' },
    });

    const second = await bed.createEmailJob(customer);
    await bed.customers.clearSendgridKey(customer.id);
    await worker.enqueue(customer, second);
    const { job, deliveryAttempts } = await worker.waitForJob(customer, second);
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 1,
      errorMessage: 'Please add your SendGrid API key in settings before sending emails.',
    });
    expect(job.errorMessage).toBe(MISSING_SENDGRID_KEY_MESSAGE);
    expect(deliveryAttempts).toMatchObject([{ status: 'failed', statusCode: null }]);
    expect(bed.sendgrid.requests).toHaveLength(1);
  });

  it.each([
    [400, 'The from address does not match a verified Sender Identity.', 'from'],
    [403, 'access forbidden', null],
    [413, 'Payload Too Large', null],
  ])(
    'a %i fails the job after one attempt with SendGrid’s text',
    async (status, message, field) => {
      bed.sendgrid.script(sendGridErrorResponse(status, message, { field }));
      const customer = await bed.createCustomer('free');
      const jobId = await worker.send(customer);
      const { job, deliveryAttempts } = await worker.waitForJob(customer, jobId);
      const reason = `SendGrid rejected the email with HTTP ${status}: ${message}${field ? ` (${field})` : ''}`;
      expect(job).toMatchObject({ status: 'failed', attempts: 1, errorMessage: reason });
      expect(deliveryAttempts).toMatchObject([
        { status: 'failed', statusCode: status, errorMessage: reason },
      ]);
      expect(bed.sendgrid.requests).toHaveLength(1);
    },
  );

  it('a 401 fails the job after one attempt', async () => {
    bed.sendgrid.setApiKeys([]);
    const customer = await bed.createCustomer('enterprise');
    const jobId = await worker.send(customer);
    const { job } = await worker.waitForJob(customer, jobId);
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 1,
      errorMessage:
        'SendGrid rejected the email with HTTP 401: The provided authorization grant is invalid, expired, or revoked',
    });
  });

  it('a 429 is retried no earlier than X-RateLimit-Reset', async () => {
    const resetAt = Math.ceil(Date.now() / 1000) + 2;
    bed.sendgrid.script(
      sendGridErrorResponse(429, 'too many requests', {
        headers: { 'X-RateLimit-Reset': String(resetAt) },
      }),
    );
    const customer = await bed.createCustomer('free');
    const jobId = await worker.send(customer);
    const { job, deliveryAttempts } = await worker.waitForJob(customer, jobId);

    expect(job).toMatchObject({ status: 'completed', attempts: 2, errorMessage: null });
    expect(deliveryAttempts).toMatchObject([
      {
        status: 'failed',
        statusCode: 429,
        errorMessage: 'SendGrid rate limit exceeded (HTTP 429): too many requests',
      },
      { status: 'success', statusCode: 202 },
    ]);
    expect(bed.sendgrid.requests[1]?.receivedAt.getTime()).toBeGreaterThanOrEqual(
      resetAt * 1000 - 50,
    );
  });

  it('a 500 is retried after the backoff and then delivered', async () => {
    bed.sendgrid.script({ kind: 'respond', status: 500 });
    const customer = await bed.createCustomer('free');
    const jobId = await worker.send(customer);
    const { job, deliveryAttempts } = await worker.waitForJob(customer, jobId);
    expect(job).toMatchObject({ status: 'completed', attempts: 2 });
    expect(deliveryAttempts).toMatchObject([
      {
        attemptNumber: 1,
        status: 'failed',
        statusCode: 500,
        errorMessage: 'SendGrid responded with HTTP 500',
      },
      { attemptNumber: 2, status: 'success', statusCode: 202, errorMessage: null },
    ]);
    expect(gapsMs()[0]).toBeGreaterThanOrEqual(TEST_RETRY_BASE_DELAY_MS);
  });

  it('503 on every attempt fails the job after the budget, with growing waits', async () => {
    bed.sendgrid.setFallback(sendGridErrorResponse(503, 'Service Unavailable'));
    const customer = await bed.createCustomer('free');
    const jobId = await worker.send(customer);
    const { job, deliveryAttempts } = await worker.waitForJob(customer, jobId);
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 3,
      errorMessage:
        'SendGrid responded with HTTP 503: Service Unavailable (gave up after 3 attempts)',
    });
    expect(deliveryAttempts.map((attempt) => attempt.statusCode)).toEqual([503, 503, 503]);
    const [first, second] = gapsMs();
    expect(first).toBeGreaterThanOrEqual(TEST_RETRY_BASE_DELAY_MS);
    expect(second).toBeGreaterThanOrEqual(TEST_RETRY_BASE_DELAY_MS * 2);
  });

  it('a connection reset is retried and then delivered', async () => {
    bed.sendgrid.script({ kind: 'reset' });
    const customer = await bed.createCustomer('free');
    const jobId = await worker.send(customer);
    const { job, deliveryAttempts } = await worker.waitForJob(customer, jobId);
    expect(job).toMatchObject({ status: 'completed', attempts: 2 });
    expect(deliveryAttempts[0]).toMatchObject({
      status: 'failed',
      statusCode: null,
      errorMessage: `Could not reach SendGrid: the connection was reset (ECONNRESET); ${MAYBE_SENT}`,
    });
  });

  it('a hang times out, is retried, and the retry carries the same job id for deduplication', async () => {
    bed.sendgrid.script({ kind: 'hang' });
    const customer = await bed.createCustomer('free');
    const jobId = await worker.send(customer);
    const { job, deliveryAttempts } = await worker.waitForJob(customer, jobId);

    expect(job).toMatchObject({ status: 'completed', attempts: 2 });
    expect(deliveryAttempts[0]).toMatchObject({
      status: 'failed',
      statusCode: null,
      errorMessage: `SendGrid request timed out: no answer within ${TEST_SENDGRID_TIMEOUT_MS} ms; ${MAYBE_SENT}`,
    });
    expect(deliveryAttempts[0]?.durationMs).toBeGreaterThanOrEqual(TEST_SENDGRID_TIMEOUT_MS - 10);
    expect(bed.sendgrid.requests.map((r) => r.answer)).toEqual(['hang', 202]);
    const jobIds = bed.sendgrid.requests.map(
      (r) => (r.body as { custom_args?: Record<string, string> }).custom_args,
    );
    expect(jobIds).toEqual([{ notifykit_job_id: jobId }, { notifykit_job_id: jobId }]);
    const warnings = worker.log
      .withMessage(
        'SendGrid outcome unknown: the email may have been sent; retrying (at-least-once)',
      )
      .filter((line) => line.jobId === jobId);
    expect(warnings).toMatchObject([{ level: 40, failure: 'timeout' }]);
  });
});
