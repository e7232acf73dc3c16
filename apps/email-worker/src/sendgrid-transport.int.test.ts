import { freePort, sendGridErrorResponse } from '@notifykit/testing';
import { describe, expect, it } from 'vitest';
import { createTestDeliver } from '../test/email-deliver-factory.ts';
import { useEmailTestBed } from '../test/email-test-bed.ts';
import { createSendGridTransport } from './sendgrid-transport.ts';

const bed = useEmailTestBed();

const MAYBE_SENT = 'the email may have been sent, so the retry can deliver it twice';

async function deliverOnce(options: { timeoutMs?: number; baseUrl?: string } = {}) {
  const customer = await bed.createCustomer('free');
  const jobId = await bed.createEmailJob(customer);
  const deliver = createTestDeliver(bed, options);
  return { jobId, deliver, result: await deliver.run(jobId) };
}

describe('SendGrid answers → outcome', () => {
  it('400 with an errors array fails permanently with SendGrid’s own words', async () => {
    const errors = {
      errors: [
        {
          message: 'The from address does not match a verified Sender Identity.',
          field: 'from',
          help: null,
        },
        { message: 'Invalid type.', field: 'personalizations.0.to', help: null },
      ],
    };
    bed.sendgrid.script({ kind: 'respond', status: 400, body: errors });
    const { result } = await deliverOnce();
    expect(result).toEqual({
      outcome: {
        kind: 'permanent',
        reason:
          'SendGrid rejected the email with HTTP 400: The from address does not match a verified Sender Identity. (from); Invalid type. (personalizations.0.to)',
      },
      statusCode: 400,
      durationMs: expect.any(Number),
      responsePrefix: JSON.stringify(errors),
      providerMessageId: null,
    });
  });

  it('401 from the real key check fails permanently', async () => {
    bed.sendgrid.setApiKeys([]);
    const { result, deliver } = await deliverOnce();
    expect(result.outcome).toEqual({
      kind: 'permanent',
      reason:
        'SendGrid rejected the email with HTTP 401: The provided authorization grant is invalid, expired, or revoked',
    });
    expect(result.statusCode).toBe(401);
    expect(
      deliver.log.withMessage(
        'SendGrid refused the operator key (SENDGRID_API_KEY); check the key and its permissions',
      ),
    ).toMatchObject([{ level: 50, statusCode: 401 }]);
  });

  it.each([
    [403, 'access forbidden'],
    [406, 'Not acceptable'],
    [413, 'Payload Too Large'],
    [451, 'Unavailable for legal reasons'],
  ])('%i fails permanently with the message', async (status, message) => {
    bed.sendgrid.script(sendGridErrorResponse(status, message));
    const { result } = await deliverOnce();
    expect(result.outcome).toEqual({
      kind: 'permanent',
      reason: `SendGrid rejected the email with HTTP ${status}: ${message}`,
    });
    expect(result.statusCode).toBe(status);
  });

  it('429 is retried after X-RateLimit-Reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    bed.sendgrid.script(
      sendGridErrorResponse(429, 'too many requests', {
        headers: { 'X-RateLimit-Reset': String(reset) },
      }),
    );
    const { result } = await deliverOnce();
    expect(result.statusCode).toBe(429);
    expect(result.outcome).toMatchObject({
      kind: 'retryable',
      reason: 'SendGrid rate limit exceeded (HTTP 429): too many requests',
    });
    const waitMs = result.outcome.kind === 'retryable' ? result.outcome.retryAfterMs : undefined;
    expect(waitMs).toBeGreaterThan(117_000);
    expect(waitMs).toBeLessThanOrEqual(120_000);
  });

  it('429 waits at most RETRY_AFTER_CAP_MS, however far away X-RateLimit-Reset is', async () => {
    const reset = Math.floor(Date.now() / 1000) + 7_200;
    bed.sendgrid.script(
      sendGridErrorResponse(429, 'too many requests', {
        headers: { 'X-RateLimit-Reset': String(reset) },
      }),
    );
    const transport = createSendGridTransport({
      baseUrl: bed.sendgrid.url,
      timeoutMs: 5_000,
      retryAfterCapMs: 30_000,
    });
    const customer = await bed.createCustomer('free');
    const result = await createTestDeliver(bed, { transport }).run(
      await bed.createEmailJob(customer),
    );
    expect(result.outcome).toEqual({
      kind: 'retryable',
      reason: 'SendGrid rate limit exceeded (HTTP 429): too many requests',
      retryAfterMs: 30_000,
    });
  });

  it.each([
    [500, { kind: 'respond', status: 500 } as const, 'SendGrid responded with HTTP 500'],
    [
      503,
      sendGridErrorResponse(503, 'Service Unavailable'),
      'SendGrid responded with HTTP 503: Service Unavailable',
    ],
  ])('%i is retried', async (status, behaviour, reason) => {
    bed.sendgrid.script(behaviour);
    const { result } = await deliverOnce();
    expect(result.outcome).toEqual({ kind: 'retryable', reason });
    expect(result.statusCode).toBe(status);
  });

  it('a connection reset is retried and flagged as a possible duplicate', async () => {
    bed.sendgrid.script({ kind: 'reset' });
    const { result, deliver, jobId } = await deliverOnce();
    expect(result.outcome).toEqual({
      kind: 'retryable',
      reason: `Could not reach SendGrid: the connection was reset (ECONNRESET); ${MAYBE_SENT}`,
    });
    expect(result.statusCode).toBeNull();
    expect(
      deliver.log.withMessage(
        'SendGrid outcome unknown: the email may have been sent; retrying (at-least-once)',
      ),
    ).toMatchObject([{ level: 40, jobId, failure: 'network' }]);
  });

  it('a refused connection is retried without the duplicate warning', async () => {
    const closedPort = await freePort();
    const { result } = await deliverOnce({ baseUrl: `http://127.0.0.1:${closedPort}` });
    expect(result.outcome).toEqual({
      kind: 'retryable',
      reason: 'Could not reach SendGrid: connection refused (ECONNREFUSED)',
    });
  });

  it('a hang ends at the explicit timeout as a retryable, possibly-delivered attempt', async () => {
    bed.sendgrid.script({ kind: 'hang' });
    const started = Date.now();
    const { result, deliver, jobId } = await deliverOnce({ timeoutMs: 400 });
    const elapsed = Date.now() - started;
    expect(result.outcome).toEqual({
      kind: 'retryable',
      reason: `SendGrid request timed out: no answer within 400 ms; ${MAYBE_SENT}`,
    });
    expect(result.statusCode).toBeNull();
    expect(result.durationMs).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(2_000);
    expect(bed.sendgrid.requests.map((r) => r.answer)).toEqual(['hang']);
    expect(
      deliver.log.withMessage(
        'SendGrid outcome unknown: the email may have been sent; retrying (at-least-once)',
      ),
    ).toMatchObject([{ level: 40, jobId, failure: 'timeout' }]);
  });

  it('a shutdown abort mid-request is retryable and says why', async () => {
    bed.sendgrid.script({ kind: 'hang' });
    const customer = await bed.createCustomer('free');
    const jobId = await bed.createEmailJob(customer);
    const shutdown = new AbortController();
    const pending = createTestDeliver(bed, { timeoutMs: 10_000 }).run(jobId, shutdown.signal);
    await bed.sendgrid.waitForRequests(1);
    shutdown.abort();
    const result = await pending;
    expect(result.outcome).toEqual({
      kind: 'retryable',
      reason: `Delivery interrupted: the worker shut down before SendGrid answered; ${MAYBE_SENT}`,
    });
    expect(result.durationMs).toBeLessThan(5_000);
  });
});
