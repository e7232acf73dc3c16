import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  EmailPayloadSchema,
  JobPayloadSchema,
  toEmailPayload,
  toWebhookPayload,
  WebhookPayloadSchema,
} from './job-payloads.ts';

describe('toEmailPayload', () => {
  it('stores from as null when the request has none', () => {
    const payload = toEmailPayload({ to: 'a@example.com', subject: 's', body: 'b', priority: 1 });
    expect(payload).toEqual({ to: 'a@example.com', subject: 's', body: 'b', from: null });
    expect(Value.Check(EmailPayloadSchema, payload)).toBe(true);
  });

  it('keeps an explicit from and drops request-only fields', () => {
    const payload = toEmailPayload({
      to: 'a@example.com',
      subject: 's',
      body: 'b',
      from: 'me@example.com',
      idempotencyKey: 'k',
      provider: 'SENDGRID',
    });
    expect(payload).toEqual({
      to: 'a@example.com',
      subject: 's',
      body: 'b',
      from: 'me@example.com',
    });
  });
});

describe('toWebhookPayload', () => {
  it('defaults the method to POST and headers to {}', () => {
    const payload = toWebhookPayload({ url: 'https://example.com/h', payload: { a: 1 } });
    expect(payload).toEqual({
      url: 'https://example.com/h',
      method: 'POST',
      headers: {},
      payload: { a: 1 },
    });
    expect(Value.Check(WebhookPayloadSchema, payload)).toBe(true);
  });

  it('keeps method and headers, copying the headers', () => {
    const headers = { 'X-A': '1' };
    const payload = toWebhookPayload({
      url: 'https://example.com/h',
      method: 'DELETE',
      headers,
      payload: {},
      priority: 10,
    });
    expect(payload).toEqual({
      url: 'https://example.com/h',
      method: 'DELETE',
      headers,
      payload: {},
    });
    expect(payload.headers).not.toBe(headers);
  });
});

describe('stored payload schemas', () => {
  it('require from to be present, string or null', () => {
    const base = { to: 'a@example.com', subject: 's', body: 'b' };
    expect(Value.Check(EmailPayloadSchema, { ...base, from: null })).toBe(true);
    expect(Value.Check(EmailPayloadSchema, { ...base, from: 'x@example.com' })).toBe(true);
    expect(Value.Check(EmailPayloadSchema, base)).toBe(false);
    expect(Value.Check(EmailPayloadSchema, { ...base, from: null, extra: 1 })).toBe(false);
  });

  it('require every webhook field', () => {
    const full = { url: 'https://x.io', method: 'GET', headers: {}, payload: {} };
    expect(Value.Check(WebhookPayloadSchema, full)).toBe(true);
    for (const key of Object.keys(full)) {
      const partial: Record<string, unknown> = { ...full };
      delete partial[key];
      expect(Value.Check(WebhookPayloadSchema, partial)).toBe(false);
    }
    expect(Value.Check(WebhookPayloadSchema, { ...full, method: 'HEAD' })).toBe(false);
  });

  it('admit either payload in a job', () => {
    expect(
      Value.Check(JobPayloadSchema, { to: 'a@example.com', subject: 's', body: 'b', from: null }),
    ).toBe(true);
    expect(
      Value.Check(JobPayloadSchema, {
        url: 'https://x.io',
        method: 'POST',
        headers: {},
        payload: {},
      }),
    ).toBe(true);
    expect(Value.Check(JobPayloadSchema, { to: 'a@example.com' })).toBe(false);
  });
});
