import { describe, expect, it } from 'vitest';
import {
  classifySendGridAttempt,
  classifyWebhookAttempt,
  DEFAULT_RETRY_AFTER_CAP_MS,
  headerValue,
} from './outcome-classification.ts';

const now = new Date('2026-01-09T12:00:00.000Z');
const nowSeconds = now.getTime() / 1000;

describe('headerValue', () => {
  it('finds a header in any case and takes the first of several values', () => {
    expect(headerValue({ 'retry-after': '5' }, 'Retry-After')).toBe('5');
    expect(headerValue({ 'Retry-After': '5' }, 'retry-after')).toBe('5');
    expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1');
    expect(headerValue({ 'x-a': undefined, 'X-A': '3' }, 'x-a')).toBe('3');
    expect(headerValue({}, 'x-a')).toBeUndefined();
    expect(headerValue(undefined, 'x-a')).toBeUndefined();
  });
});

describe('classifyWebhookAttempt', () => {
  const response = (statusCode: number, headers?: Record<string, string>) =>
    classifyWebhookAttempt({ kind: 'response', statusCode, headers }, { now });

  it.each([200, 201, 202, 204, 299])('HTTP %d is success', (status) => {
    expect(response(status)).toEqual({ kind: 'success' });
  });

  it.each([300, 301, 302, 303, 304, 307, 308])(
    'HTTP %d is permanent: redirects are not followed',
    (status) => {
      expect(response(status)).toEqual({
        kind: 'permanent',
        reason: `Webhook endpoint responded with HTTP ${status}; redirects are not followed`,
      });
    },
  );

  it.each([408, 500, 501, 502, 504, 599])('HTTP %d is retryable', (status) => {
    expect(response(status)).toEqual({
      kind: 'retryable',
      reason: `Webhook endpoint responded with HTTP ${status}`,
    });
  });

  it.each([429, 503])('HTTP %d is retryable and honours Retry-After', (status) => {
    expect(response(status)).toEqual({
      kind: 'retryable',
      reason: `Webhook endpoint responded with HTTP ${status}`,
    });
    expect(response(status, { 'retry-after': '120' })).toEqual({
      kind: 'retryable',
      reason: `Webhook endpoint responded with HTTP ${status}`,
      retryAfterMs: 120_000,
    });
    expect(response(status, { 'Retry-After': 'Fri, 09 Jan 2026 12:00:30 GMT' })).toMatchObject({
      retryAfterMs: 30_000,
    });
    expect(response(status, { 'retry-after': 'later' })).not.toHaveProperty('retryAfterMs');
  });

  it('caps Retry-After at the operator maximum, one hour by default', () => {
    expect(DEFAULT_RETRY_AFTER_CAP_MS).toBe(3_600_000);
    expect(response(429, { 'retry-after': '86400' })).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(
      classifyWebhookAttempt(
        { kind: 'response', statusCode: 503, headers: { 'retry-after': '86400' } },
        { now, retryAfterCapMs: 600_000 },
      ),
    ).toMatchObject({ retryAfterMs: 600_000 });
  });

  it('ignores Retry-After on other retryable statuses', () => {
    expect(response(500, { 'retry-after': '120' })).not.toHaveProperty('retryAfterMs');
    expect(response(408, { 'retry-after': '120' })).not.toHaveProperty('retryAfterMs');
  });

  it.each([400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 451, 499])(
    'HTTP %d is permanent',
    (status) => {
      expect(response(status)).toEqual({
        kind: 'permanent',
        reason: `Webhook endpoint responded with HTTP ${status}`,
      });
    },
  );

  it('treats a 1xx final status as retryable', () => {
    expect(response(101)).toEqual({
      kind: 'retryable',
      reason: 'Webhook endpoint responded with HTTP 101',
    });
  });

  it.each([0, 99, 600, 999, 200.5, Number.NaN])(
    'treats the invalid status %s as retryable',
    (status) => {
      expect(response(status)).toEqual({
        kind: 'retryable',
        reason: `Webhook endpoint responded with an invalid HTTP status (${status})`,
      });
    },
  );

  it('retries a timeout', () => {
    expect(
      classifyWebhookAttempt({ kind: 'timeout', message: 'no response within 30000 ms' }),
    ).toEqual({
      kind: 'retryable',
      reason: 'Webhook request timed out: no response within 30000 ms',
    });
  });

  it('retries a network error', () => {
    expect(
      classifyWebhookAttempt({
        kind: 'network',
        message: 'connect ECONNREFUSED 93.184.216.34:443',
      }),
    ).toEqual({
      kind: 'retryable',
      reason: 'Webhook request failed: connect ECONNREFUSED 93.184.216.34:443',
    });
  });

  it('fails a refused destination permanently, saying so', () => {
    expect(
      classifyWebhookAttempt({
        kind: 'blocked',
        message: 'hooks.example.com resolved to 10.0.0.7, a private address',
      }),
    ).toEqual({
      kind: 'permanent',
      reason:
        'Webhook destination was refused: hooks.example.com resolved to 10.0.0.7, a private address',
    });
  });

  it('copes with an empty transport message', () => {
    expect(classifyWebhookAttempt({ kind: 'timeout', message: '  ' })).toEqual({
      kind: 'retryable',
      reason: 'Webhook request timed out',
    });
  });

  it('keeps reasons to 1000 characters', () => {
    const outcome = classifyWebhookAttempt({ kind: 'network', message: 'x'.repeat(5000) });
    expect(outcome.kind).toBe('retryable');
    if (outcome.kind === 'retryable') {
      expect(outcome.reason).toHaveLength(1000);
      expect(outcome.reason.endsWith('…')).toBe(true);
    }
  });
});

describe('classifySendGridAttempt', () => {
  const errorBody = (...errors: unknown[]) => ({ errors });
  const response = (statusCode: number, body?: unknown, headers?: Record<string, string>) =>
    classifySendGridAttempt({ kind: 'response', statusCode, body, headers }, { now });

  it('202 Accepted is success, as is any 2xx', () => {
    expect(response(202)).toEqual({ kind: 'success' });
    expect(response(200)).toEqual({ kind: 'success' });
    expect(response(204)).toEqual({ kind: 'success' });
  });

  it.each([
    [400, 'The from email does not contain a valid address.', 'from.email'],
    [401, 'The provided authorization grant is invalid, expired, or revoked', null],
    [403, 'The from address does not match a verified Sender Identity.', 'from'],
    [406, 'Invalid accept header', null],
    [413, 'The JSON payload you have included in your request is too large.', null],
    [451, 'Unavailable for legal reasons', undefined],
  ])('HTTP %d is permanent with SendGrid’s own text', (status, message, field) => {
    const where = field ? ` (${field})` : '';
    expect(response(status, errorBody({ message, field, help: null }))).toEqual({
      kind: 'permanent',
      reason: `SendGrid rejected the email with HTTP ${status}: ${message}${where}`,
    });
  });

  it.each([400, 401, 403, 406, 413, 451])('HTTP %d without a body is still permanent', (status) => {
    expect(response(status)).toEqual({
      kind: 'permanent',
      reason: `SendGrid rejected the email with HTTP ${status}`,
    });
  });

  it.each([402, 404, 405, 409, 415, 422, 499])('any other 4xx (HTTP %d) is permanent', (status) => {
    expect(response(status, errorBody({ message: 'nope' }))).toEqual({
      kind: 'permanent',
      reason: `SendGrid rejected the email with HTTP ${status}: nope`,
    });
  });

  it('joins several errors and skips malformed entries', () => {
    const body = errorBody(
      { message: 'first', field: 'to' },
      'junk',
      null,
      { message: 42 },
      { field: 'subject' },
      { message: '  second  ', field: '' },
    );
    expect(response(400, body)).toEqual({
      kind: 'permanent',
      reason: 'SendGrid rejected the email with HTTP 400: first (to); second',
    });
  });

  it('reads at most five errors', () => {
    const body = errorBody(...Array.from({ length: 8 }, (_, i) => ({ message: `e${i}` })));
    expect(response(400, body)).toMatchObject({
      reason: 'SendGrid rejected the email with HTTP 400: e0; e1; e2; e3; e4',
    });
  });

  it('accepts the body as raw JSON text and ignores bodies of other shapes', () => {
    expect(response(400, JSON.stringify(errorBody({ message: 'bad' })))).toMatchObject({
      reason: 'SendGrid rejected the email with HTTP 400: bad',
    });
    for (const body of ['<html>oops</html>', 'null', { errors: 'x' }, { message: 'x' }, 42, null]) {
      expect(response(400, body)).toEqual({
        kind: 'permanent',
        reason: 'SendGrid rejected the email with HTTP 400',
      });
    }
  });

  it('429 is retryable and waits until X-RateLimit-Reset', () => {
    expect(response(429, undefined, { 'X-RateLimit-Reset': String(nowSeconds + 42) })).toEqual({
      kind: 'retryable',
      reason: 'SendGrid rate limit exceeded (HTTP 429)',
      retryAfterMs: 42_000,
    });
  });

  it('429 with a reset in the past waits 0, far in the future is capped, garbage is ignored', () => {
    expect(
      response(429, undefined, { 'x-ratelimit-reset': String(nowSeconds - 10) }),
    ).toMatchObject({
      retryAfterMs: 0,
    });
    expect(
      response(429, undefined, { 'x-ratelimit-reset': String(nowSeconds + 86_400) }),
    ).toMatchObject({
      retryAfterMs: 3_600_000,
    });
    expect(
      classifySendGridAttempt(
        {
          kind: 'response',
          statusCode: 429,
          headers: { 'x-ratelimit-reset': String(nowSeconds + 600) },
        },
        { now, retryAfterCapMs: 60_000 },
      ),
    ).toMatchObject({ retryAfterMs: 60_000 });
    for (const bad of ['soon', '-5', '1.5', '']) {
      expect(response(429, undefined, { 'x-ratelimit-reset': bad })).toEqual({
        kind: 'retryable',
        reason: 'SendGrid rate limit exceeded (HTTP 429)',
      });
    }
    expect(response(429)).toEqual({
      kind: 'retryable',
      reason: 'SendGrid rate limit exceeded (HTTP 429)',
    });
  });

  it.each([500, 502, 503, 504, 599])('HTTP %d is retryable', (status) => {
    expect(response(status)).toEqual({
      kind: 'retryable',
      reason: `SendGrid responded with HTTP ${status}`,
    });
    expect(response(status, errorBody({ message: 'internal error' }))).toEqual({
      kind: 'retryable',
      reason: `SendGrid responded with HTTP ${status}: internal error`,
    });
  });

  it('408 is a timeout, so retryable', () => {
    expect(response(408)).toEqual({
      kind: 'retryable',
      reason: 'SendGrid responded with HTTP 408',
    });
  });

  it('retries timeouts and network errors', () => {
    expect(
      classifySendGridAttempt({ kind: 'timeout', message: 'Timeout of 10000ms exceeded' }),
    ).toEqual({
      kind: 'retryable',
      reason: 'SendGrid request timed out: Timeout of 10000ms exceeded',
    });
    expect(
      classifySendGridAttempt({
        kind: 'network',
        message: 'getaddrinfo ENOTFOUND api.sendgrid.com',
      }),
    ).toEqual({
      kind: 'retryable',
      reason: 'Could not reach SendGrid: getaddrinfo ENOTFOUND api.sendgrid.com',
    });
  });

  it('retries unexpected statuses', () => {
    expect(response(302)).toEqual({
      kind: 'retryable',
      reason: 'SendGrid responded with unexpected HTTP 302',
    });
    expect(response(100)).toEqual({
      kind: 'retryable',
      reason: 'SendGrid responded with unexpected HTTP 100',
    });
    expect(response(700)).toEqual({
      kind: 'retryable',
      reason: 'SendGrid responded with an invalid HTTP status (700)',
    });
  });
});
