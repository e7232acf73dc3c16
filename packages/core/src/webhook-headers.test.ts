import { describe, expect, it } from 'vitest';
import {
  findReservedHeader,
  isReservedWebhookHeader,
  MASKED_HEADER_VALUE,
  MAX_WEBHOOK_HEADERS,
  maskHeaderValues,
  RESERVED_WEBHOOK_HEADERS,
  webhookHeadersProblem,
} from './webhook-headers.ts';

describe('reserved webhook headers', () => {
  it('are exactly the service-owned names of the contract', () => {
    expect(RESERVED_WEBHOOK_HEADERS).toEqual([
      'Host',
      'Content-Length',
      'Content-Type',
      'Transfer-Encoding',
      'Connection',
      'User-Agent',
      'X-Webhook-Timestamp',
      'X-Webhook-Signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
  });

  it.each(RESERVED_WEBHOOK_HEADERS.flatMap((n) => [n, n.toLowerCase(), n.toUpperCase()]))(
    'recognises %s in any case',
    (name) => {
      expect(isReservedWebhookHeader(name)).toBe(true);
      expect(findReservedHeader({ 'X-Event': 'a', [name]: 'b' })).toBe(name);
      expect(webhookHeadersProblem({ [name]: 'x' })).toBe(
        `headers.${name} is set by NotifyKit and cannot be overridden`,
      );
    },
  );

  it('lets ordinary names through', () => {
    for (const name of [
      'X-Event-Type',
      'Authorization',
      'X-Webhook-Secret',
      'webhook-type',
      'Hosts',
    ]) {
      expect(isReservedWebhookHeader(name)).toBe(false);
    }
    expect(findReservedHeader({ Authorization: 'Bearer x', 'X-Event': 'y' })).toBeNull();
    expect(findReservedHeader({})).toBeNull();
  });
});

describe('webhookHeadersProblem', () => {
  it('accepts up to 20 valid headers', () => {
    const twenty = Object.fromEntries(
      Array.from({ length: MAX_WEBHOOK_HEADERS }, (_, i) => [`X-H${i}`, `v${i}`]),
    );
    expect(webhookHeadersProblem(twenty)).toBeNull();
    expect(webhookHeadersProblem({ ...twenty, 'X-H20': 'v' })).toBe(
      'headers must not contain more than 20 entries',
    );
  });

  it('accepts empty values, tabs, spaces and Latin-1 text', () => {
    expect(webhookHeadersProblem({ 'X-A': '', 'X-B': 'a\tb c', 'X-C': 'café' })).toBeNull();
  });

  it.each(['X Event', 'X-Event:', '', 'Ünïcode', 'a(b)', 'x\n'])('refuses the name %j', (name) => {
    expect(webhookHeadersProblem({ [name]: 'v' })).toBe(
      `headers contains an invalid header name: "${name}"`,
    );
  });

  it.each(['line\r\nInjected: yes', 'a\nb', 'nul\u0000', 'del\u007f', 'emoji 😀', 'ĉ'])(
    'refuses the value %j',
    (value) => {
      expect(webhookHeadersProblem({ 'X-A': value })).toBe(
        'headers.X-A must be a string without line breaks or control characters',
      );
    },
  );

  it('refuses non-string values that slipped past the schema', () => {
    expect(webhookHeadersProblem({ 'X-A': 1 as unknown as string })).toMatch(/^headers\.X-A/);
  });

  it('refuses one name given twice in different case', () => {
    expect(webhookHeadersProblem({ 'X-Event': 'a', 'x-event': 'b' })).toBe(
      'headers contains x-event more than once (header names are case-insensitive)',
    );
  });
});

describe('maskHeaderValues', () => {
  it('keeps the names and hides every value', () => {
    expect(maskHeaderValues({ Authorization: 'Bearer secret', 'X-A': '' })).toEqual({
      Authorization: MASKED_HEADER_VALUE,
      'X-A': '***',
    });
    expect(maskHeaderValues({})).toEqual({});
  });

  it('does not touch its input', () => {
    const headers = { 'X-A': 'secret' };
    maskHeaderValues(headers);
    expect(headers).toEqual({ 'X-A': 'secret' });
  });
});
