import { describe, expect, it } from 'vitest';
import {
  emailRequestProblems,
  isDeliverableEmailAddress,
  utf8ByteLength,
  webhookRequestProblems,
} from './send-request-rules.ts';

const email = { to: 'user@example.com', subject: 'Welcome!', body: '<h1>Hello</h1>' };
const webhook = { url: 'https://example.com/hook', payload: { event: 'user.created' } };

describe('utf8ByteLength', () => {
  it('counts bytes, not characters', () => {
    expect(utf8ByteLength('')).toBe(0);
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('😀')).toBe(4);
  });
});

describe('isDeliverableEmailAddress', () => {
  it.each([
    'user@example.com',
    'first.last+tag@sub.example.co.uk',
    "o'brien@example.ie",
    'x@a-b.io',
    'UPPER@EXAMPLE.COM',
    `${'a'.repeat(64)}@example.com`,
  ])('accepts %s', (address) => {
    expect(isDeliverableEmailAddress(address)).toBe(true);
  });

  it.each([
    'a@b',
    'user@localhost',
    'user@[127.0.0.1]',
    'user@127.0.0.1',
    '"quoted"@example.com',
    '.lead@example.com',
    'trail.@example.com',
    'two..dots@example.com',
    'user@-example.com',
    'user@example-.com',
    'user@example..com',
    'user@example.com.',
    'user@example.123',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(64)}.com`,
    `a@${'b.'.repeat(126)}com`,
    'user@exämple.com',
    'user@example.com\n',
    'no-at-sign',
    '',
    42,
  ])('rejects %j', (address) => {
    expect(isDeliverableEmailAddress(address)).toBe(false);
  });
});

describe('emailRequestProblems', () => {
  it('finds nothing wrong with an ordinary request', () => {
    expect(emailRequestProblems(email)).toEqual([]);
    expect(emailRequestProblems({ ...email, from: 'hello@em.yourapp.com' })).toEqual([]);
  });

  it('measures the body in UTF-8 bytes: 512 KiB is the last size accepted', () => {
    expect(emailRequestProblems({ ...email, body: 'x'.repeat(524_288) })).toEqual([]);
    const overByOne = emailRequestProblems({ ...email, body: 'x'.repeat(524_289) });
    expect(overByOne).toEqual([
      { field: 'body', message: 'body must be at most 512 KiB (524288 bytes)' },
    ]);
    // 262,145 two-byte characters pass a character count but are 524,290 bytes.
    expect(emailRequestProblems({ ...email, body: 'é'.repeat(262_145) })).toHaveLength(1);
    expect(emailRequestProblems({ ...email, body: 'é'.repeat(262_144) })).toEqual([]);
  });

  it('refuses line breaks in the subject', () => {
    expect(emailRequestProblems({ ...email, subject: 'Hi\r\nBcc: x@evil.example' })).toEqual([
      { field: 'subject', message: 'subject must not contain line breaks' },
    ]);
    expect(emailRequestProblems({ ...email, subject: 'a\nb' })).toHaveLength(1);
  });

  it('refuses addresses SendGrid cannot deliver to, naming the field', () => {
    expect(emailRequestProblems({ ...email, to: 'a@b', from: 'me@[10.0.0.1]' })).toEqual([
      { field: 'to', message: 'to must be a valid email address' },
      { field: 'from', message: 'from must be a valid email address' },
    ]);
  });

  it('reports every problem at once', () => {
    const problems = emailRequestProblems({
      to: 'a@b',
      subject: 'x\ny',
      body: 'x'.repeat(524_289),
      from: 'nope@nope',
    });
    expect(problems.map((p) => p.field)).toEqual(['to', 'subject', 'body', 'from']);
  });
});

describe('webhookRequestProblems', () => {
  it('finds nothing wrong with an ordinary request', () => {
    expect(webhookRequestProblems(webhook)).toEqual([]);
    expect(
      webhookRequestProblems({ ...webhook, method: 'POST', headers: { 'X-Event-Type': 'a' } }),
    ).toEqual([]);
  });

  it('applies the destination rules and the operator switches', () => {
    expect(webhookRequestProblems({ ...webhook, url: 'http://127.0.0.1:9000/hook' })).toEqual([
      { field: 'url', message: 'url must start with https://' },
    ]);
    expect(
      webhookRequestProblems(
        { ...webhook, url: 'http://127.0.0.1:9000/hook' },
        { allowHttp: true },
      ),
    ).toEqual([
      {
        field: 'url',
        message: 'url points to 127.0.0.1, a loopback address, which is not allowed',
      },
    ]);
    expect(
      webhookRequestProblems(
        { ...webhook, url: 'http://127.0.0.1:9000/hook' },
        { allowHttp: true, allowPrivate: true },
      ),
    ).toEqual([]);
  });

  it('caps the serialized payload at 64 KiB by default', () => {
    // {"d":"…"} is 8 bytes of framing around the string.
    const fits = { d: 'x'.repeat(65_536 - 8) };
    expect(JSON.stringify(fits)).toHaveLength(65_536);
    expect(webhookRequestProblems({ ...webhook, payload: fits })).toEqual([]);
    expect(webhookRequestProblems({ ...webhook, payload: { d: 'x'.repeat(65_536 - 7) } })).toEqual([
      { field: 'payload', message: 'payload must serialize to at most 65536 bytes of JSON' },
    ]);
  });

  it('counts payload bytes after JSON escaping and UTF-8 encoding', () => {
    // Each "€" is 3 bytes; each "\n" becomes the 2-byte escape \n.
    expect(
      webhookRequestProblems(
        { ...webhook, payload: { d: '€'.repeat(10) } },
        { maxPayloadBytes: 38 },
      ),
    ).toEqual([]);
    expect(
      webhookRequestProblems(
        { ...webhook, payload: { d: '€'.repeat(10) } },
        { maxPayloadBytes: 37 },
      ),
    ).toHaveLength(1);
    expect(
      webhookRequestProblems(
        { ...webhook, payload: { d: '\n'.repeat(5) } },
        { maxPayloadBytes: 18 },
      ),
    ).toEqual([]);
    expect(
      webhookRequestProblems(
        { ...webhook, payload: { d: '\n'.repeat(5) } },
        { maxPayloadBytes: 17 },
      ),
    ).toHaveLength(1);
  });

  it('honours a configured payload limit', () => {
    expect(
      webhookRequestProblems({ ...webhook, payload: { a: 1 } }, { maxPayloadBytes: 7 }),
    ).toEqual([]);
    expect(
      webhookRequestProblems({ ...webhook, payload: { a: 1 } }, { maxPayloadBytes: 6 }),
    ).toEqual([{ field: 'payload', message: 'payload must serialize to at most 6 bytes of JSON' }]);
  });

  it('refuses reserved and malformed headers', () => {
    expect(
      webhookRequestProblems({ ...webhook, headers: { 'content-type': 'text/plain' } }),
    ).toEqual([
      {
        field: 'headers',
        message: 'headers.content-type is set by NotifyKit and cannot be overridden',
      },
    ]);
    expect(webhookRequestProblems({ ...webhook, headers: { 'X-A': 'a\r\nb' } })).toEqual([
      {
        field: 'headers',
        message: 'headers.X-A must be a string without line breaks or control characters',
      },
    ]);
  });

  it('reports every problem at once', () => {
    const problems = webhookRequestProblems(
      { url: 'ftp://x', payload: { d: 'x'.repeat(100) }, headers: { Host: 'evil' } },
      { maxPayloadBytes: 10 },
    );
    expect(problems.map((p) => p.field)).toEqual(['url', 'payload', 'headers']);
  });
});
