import { describe, expect, it } from 'vitest';
import { parseAllowedDestinations } from './allowed-destinations.ts';
import { validateWebhookTarget, WEBHOOK_URL_MAX_LENGTH } from './webhook-target.ts';

function errorOf(url: unknown, options?: Parameters<typeof validateWebhookTarget>[1]): string {
  const result = validateWebhookTarget(url, options);
  if (result.ok) throw new Error(`expected ${String(url)} to be refused`);
  return result.error;
}

describe('validateWebhookTarget', () => {
  it('accepts an absolute https URL and returns it parsed', () => {
    const result = validateWebhookTarget('https://hooks.example.com:8443/in?x=1#frag');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.url.hostname).toBe('hooks.example.com');
      expect(result.url.port).toBe('8443');
    }
  });

  it('accepts a public IP literal', () => {
    expect(validateWebhookTarget('https://8.8.8.8/hook').ok).toBe(true);
    expect(validateWebhookTarget('https://[2606:4700:4700::1111]/hook').ok).toBe(true);
  });

  it('accepts exactly 2048 characters and refuses 2049', () => {
    const base = 'https://example.com/';
    const max = base + 'a'.repeat(WEBHOOK_URL_MAX_LENGTH - base.length);
    expect(max).toHaveLength(2048);
    expect(validateWebhookTarget(max).ok).toBe(true);
    expect(errorOf(`${max}a`)).toBe('url must be at most 2048 characters long');
  });

  it('refuses non-strings and relative or malformed URLs', () => {
    expect(errorOf(42)).toBe('url must be a string');
    expect(errorOf(undefined)).toBe('url must be a string');
    for (const url of [
      '',
      '/hook',
      'example.com/hook',
      'https://',
      'https://exa mple.com',
      'http://[::1',
    ]) {
      expect(errorOf(url)).toMatch(/^url must /);
    }
    expect(errorOf('example.com/hook')).toBe(
      'url must be an absolute URL such as https://example.com/hook',
    );
  });

  it('refuses whitespace and control characters the URL parser would quietly drop', () => {
    expect(errorOf('https://exa\nmple.com/')).toBe(
      'url must not contain whitespace or control characters',
    );
    expect(errorOf(' https://example.com/')).toMatch(/whitespace/);
    expect(errorOf('https://example.com/\t')).toMatch(/whitespace/);
    expect(errorOf('https://example.com/\u0000')).toMatch(/control/);
    expect(errorOf('https://example.com/\u00a0')).toMatch(/whitespace/);
  });

  it('refuses plain http unless the operator allows it', () => {
    expect(errorOf('http://example.com/hook')).toBe('url must start with https://');
    expect(validateWebhookTarget('http://example.com/hook', { allowHttp: true }).ok).toBe(true);
  });

  it('refuses other schemes even when http is allowed', () => {
    for (const url of [
      'ftp://example.com/x',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ws://example.com/',
    ]) {
      expect(errorOf(url)).toBe('url must start with https://');
      expect(errorOf(url, { allowHttp: true })).toBe('url must start with https:// or http://');
    }
  });

  it('refuses userinfo', () => {
    const message = 'url must not contain a username or password';
    expect(errorOf('https://user:pass@example.com/')).toBe(message);
    expect(errorOf('https://user@example.com/')).toBe(message);
    expect(errorOf('https://:secret@example.com/')).toBe(message);
    expect(errorOf('https://user:pass@example.com/', { allowPrivate: true })).toBe(message);
  });

  it.each([
    ['https://127.0.0.1/', 'url points to 127.0.0.1, a loopback address, which is not allowed'],
    ['https://2130706433/', 'url points to 127.0.0.1, a loopback address, which is not allowed'],
    ['https://0x7f000001/', 'url points to 127.0.0.1, a loopback address, which is not allowed'],
    ['https://127.1:8080/', 'url points to 127.0.0.1, a loopback address, which is not allowed'],
    ['https://[::1]/', 'url points to [::1], a loopback address, which is not allowed'],
    [
      'https://[::ffff:127.0.0.1]/',
      'url points to [::ffff:7f00:1], a loopback address, which is not allowed',
    ],
    ['https://10.0.0.5/', 'url points to 10.0.0.5, a private address, which is not allowed'],
    [
      'https://100.64.1.1/',
      'url points to 100.64.1.1, a carrier-grade NAT address, which is not allowed',
    ],
    [
      'http://169.254.169.254/latest/meta-data/',
      'url points to 169.254.169.254, a cloud metadata address, which is not allowed',
    ],
    ['https://[fe80::1]/', 'url points to [fe80::1], a link-local address, which is not allowed'],
    ['https://224.0.0.1/', 'url points to 224.0.0.1, a multicast address, which is not allowed'],
    ['https://0.0.0.0/', 'url points to 0.0.0.0, an unspecified address, which is not allowed'],
    ['https://[::]/', 'url points to [::], an unspecified address, which is not allowed'],
    ['https://localhost/', 'url points to localhost, a loopback destination, which is not allowed'],
    [
      'https://LOCALHOST./',
      'url points to localhost., a loopback destination, which is not allowed',
    ],
    [
      'https://api.localhost/',
      'url points to api.localhost, a loopback destination, which is not allowed',
    ],
  ])('refuses the internal destination %s', (url, message) => {
    expect(errorOf(url, { allowHttp: true })).toBe(message);
    expect(validateWebhookTarget(url, { allowHttp: true, allowPrivate: true }).ok).toBe(true);
  });

  it('leaves host names to the DNS-time check', () => {
    expect(validateWebhookTarget('https://internal.corp/').ok).toBe(true);
    expect(validateWebhookTarget('https://localhost.example.com/').ok).toBe(true);
  });

  it('accepts internal destinations the operator allow-list names, and only those', () => {
    const allowed = parseAllowedDestinations('10.1.0.0/16, localhost, fd00::/8');
    for (const url of ['https://10.1.2.3/', 'https://localhost/', 'https://[fd00::5]/']) {
      expect(validateWebhookTarget(url, { allowed }).ok).toBe(true);
    }
    expect(errorOf('https://10.2.0.1/', { allowed })).toBe(
      'url points to 10.2.0.1, a private address, which is not allowed',
    );
    expect(errorOf('https://127.0.0.1/', { allowed })).toBe(
      'url points to 127.0.0.1, a loopback address, which is not allowed',
    );
  });
});
