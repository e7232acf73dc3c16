import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  EMAIL_BODY_MAX_BYTES,
  EmailSendRequestSchema,
  IdempotencyKeySchema,
  isIdempotencyKey,
  PrioritySchema,
  WEBHOOK_METHODS,
  WebhookSendRequestSchema,
} from './send-request-schemas.ts';

function errorPaths(schema: TSchema, value: unknown): string[] {
  return [...new Set(Value.Errors(schema, value).map((e) => e.instancePath))];
}

const email = { to: 'user@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>' };
const webhook = { url: 'https://example.com/hook', payload: { event: 'user.created' } };

describe('PrioritySchema', () => {
  it('accepts exactly 1, 5 and 10', () => {
    for (const p of [1, 5, 10]) expect(Value.Check(PrioritySchema, p)).toBe(true);
    for (const p of [0, 2, 3, 4, 6, 9, 11, 5.5, '5', null, true]) {
      expect(Value.Check(PrioritySchema, p)).toBe(false);
    }
  });
});

describe('IdempotencyKeySchema / isIdempotencyKey', () => {
  it.each(['a', 'A-z_0.9:/x', 'order-12345-webhook', 'k'.repeat(255)])('accepts %s', (key) => {
    expect(Value.Check(IdempotencyKeySchema, key)).toBe(true);
    expect(isIdempotencyKey(key)).toBe(true);
  });

  it.each(['', 'k'.repeat(256), 'has space', 'tab\t', 'üml', 'a+b', 'a=b', 'a\nb', 'semi;colon'])(
    'rejects %j',
    (key) => {
      expect(Value.Check(IdempotencyKeySchema, key)).toBe(false);
      expect(isIdempotencyKey(key)).toBe(false);
    },
  );

  it('rejects non-strings', () => {
    expect(isIdempotencyKey(42)).toBe(false);
    expect(isIdempotencyKey(undefined)).toBe(false);
  });
});

describe('EmailSendRequestSchema', () => {
  it('accepts the minimal request and the full one', () => {
    expect(errorPaths(EmailSendRequestSchema, email)).toEqual([]);
    const full = {
      ...email,
      from: 'hello@em.yourapp.com',
      priority: 1,
      idempotencyKey: 'welcome-user-123',
      provider: 'SENDGRID',
    };
    expect(errorPaths(EmailSendRequestSchema, full)).toEqual([]);
  });

  it.each(['to', 'subject', 'body'])('requires %s', (field) => {
    const { [field as keyof typeof email]: _, ...rest } = email;
    expect(Value.Check(EmailSendRequestSchema, rest)).toBe(false);
  });

  it('names an unknown property', () => {
    const errors = Value.Errors(EmailSendRequestSchema, { ...email, cc: 'x@example.com' });
    expect(errors.some((e) => e.instancePath === '/cc')).toBe(true);
    expect(Value.Check(EmailSendRequestSchema, { ...email, cc: 'x@example.com' })).toBe(false);
  });

  it.each(['not-an-email', 'a b@example.com', '@example.com', 'user@', '', 42])(
    'rejects the address %j in to and from',
    (address) => {
      expect(errorPaths(EmailSendRequestSchema, { ...email, to: address })).toContain('/to');
      expect(errorPaths(EmailSendRequestSchema, { ...email, from: address })).toContain('/from');
    },
  );

  it('rejects an address over 254 characters', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com`;
    expect(long.length).toBeGreaterThan(254);
    expect(errorPaths(EmailSendRequestSchema, { ...email, to: long })).toContain('/to');
  });

  it('bounds the subject to 1–998 characters', () => {
    expect(Value.Check(EmailSendRequestSchema, { ...email, subject: 's' })).toBe(true);
    expect(Value.Check(EmailSendRequestSchema, { ...email, subject: 's'.repeat(998) })).toBe(true);
    expect(errorPaths(EmailSendRequestSchema, { ...email, subject: 's'.repeat(999) })).toEqual([
      '/subject',
    ]);
    expect(errorPaths(EmailSendRequestSchema, { ...email, subject: '' })).toEqual(['/subject']);
  });

  it('requires a non-empty body and pre-filters the size in characters', () => {
    expect(errorPaths(EmailSendRequestSchema, { ...email, body: '' })).toEqual(['/body']);
    const atCap = 'x'.repeat(EMAIL_BODY_MAX_BYTES);
    expect(Value.Check(EmailSendRequestSchema, { ...email, body: atCap })).toBe(true);
    expect(errorPaths(EmailSendRequestSchema, { ...email, body: `${atCap}x` })).toEqual(['/body']);
  });

  it.each([0, 2, 7, '5', 5.5, null])('rejects the priority %j', (priority) => {
    expect(errorPaths(EmailSendRequestSchema, { ...email, priority })).toContain('/priority');
  });

  it.each(['sendgrid', 'MAILGUN', '', null])('rejects the provider %j', (provider) => {
    expect(errorPaths(EmailSendRequestSchema, { ...email, provider })).toContain('/provider');
  });

  it('rejects non-string text fields', () => {
    expect(errorPaths(EmailSendRequestSchema, { ...email, subject: 1 })).toContain('/subject');
    expect(errorPaths(EmailSendRequestSchema, { ...email, body: ['x'] })).toContain('/body');
  });

  it('rejects a body that is not an object', () => {
    for (const value of [null, [], 'x', 1])
      expect(Value.Check(EmailSendRequestSchema, value)).toBe(false);
  });
});

describe('WebhookSendRequestSchema', () => {
  it('accepts the minimal request and the full one', () => {
    expect(errorPaths(WebhookSendRequestSchema, webhook)).toEqual([]);
    const full = {
      ...webhook,
      method: 'PUT',
      headers: { 'X-Event-Type': 'order.created' },
      priority: 10,
      idempotencyKey: 'order-12345-webhook',
    };
    expect(errorPaths(WebhookSendRequestSchema, full)).toEqual([]);
  });

  it.each(WEBHOOK_METHODS)('accepts the method %s', (method) => {
    expect(Value.Check(WebhookSendRequestSchema, { ...webhook, method })).toBe(true);
  });

  it.each(['get', 'HEAD', 'OPTIONS', 'CONNECT', '', 1])('rejects the method %j', (method) => {
    expect(errorPaths(WebhookSendRequestSchema, { ...webhook, method })).toContain('/method');
  });

  it('requires url and payload', () => {
    expect(Value.Check(WebhookSendRequestSchema, { payload: {} })).toBe(false);
    expect(Value.Check(WebhookSendRequestSchema, { url: webhook.url })).toBe(false);
  });

  it('bounds the url to 1–2048 characters', () => {
    const base = 'https://example.com/';
    const max = base + 'a'.repeat(2048 - base.length);
    expect(Value.Check(WebhookSendRequestSchema, { ...webhook, url: max })).toBe(true);
    expect(errorPaths(WebhookSendRequestSchema, { ...webhook, url: `${max}a` })).toEqual(['/url']);
    expect(errorPaths(WebhookSendRequestSchema, { ...webhook, url: '' })).toEqual(['/url']);
  });

  it('accepts any JSON object as payload and nothing else', () => {
    for (const payload of [{}, { a: [1, { b: null }] }]) {
      expect(Value.Check(WebhookSendRequestSchema, { ...webhook, payload })).toBe(true);
    }
    for (const payload of [[], [1], null, 'x', 1, true]) {
      expect(errorPaths(WebhookSendRequestSchema, { ...webhook, payload })).toContain('/payload');
    }
  });

  it('takes string → string headers, at most 20', () => {
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`X-${i}`, 'v']));
    expect(Value.Check(WebhookSendRequestSchema, { ...webhook, headers: twenty })).toBe(true);
    expect(
      errorPaths(WebhookSendRequestSchema, { ...webhook, headers: { ...twenty, 'X-20': 'v' } }),
    ).toContain('/headers');
    expect(errorPaths(WebhookSendRequestSchema, { ...webhook, headers: { 'X-A': 1 } })).toContain(
      '/headers/X-A',
    );
    expect(errorPaths(WebhookSendRequestSchema, { ...webhook, headers: ['X-A'] })).toContain(
      '/headers',
    );
  });

  it('names an unknown property', () => {
    expect(errorPaths(WebhookSendRequestSchema, { ...webhook, secret: 'x' })).toContain('/secret');
  });

  it('rejects the email-only provider field', () => {
    expect(Value.Check(WebhookSendRequestSchema, { ...webhook, provider: 'SENDGRID' })).toBe(false);
  });
});
