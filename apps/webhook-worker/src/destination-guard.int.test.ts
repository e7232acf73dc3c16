import type { LookupAddress } from 'node:dns';
import { startWebhookReceiver, type WebhookReceiver } from '@notifykit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../test/worker-harness.ts';
import { type HostResolver, systemResolver } from './destination-guard.ts';

const harness = useWorkerHarness();

// Listens on every loopback address (IPv4 and IPv6), so a destination that slipped through
// the guard would show up here as a connection.
let target: WebhookReceiver;
beforeAll(async () => {
  target = await startWebhookReceiver({ host: '::' });
});
afterAll(async () => {
  await target.close();
});

/** DNS as a test wants it: fixed answers per name, counting questions. */
function fakeDns(answers: Record<string, string[][]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const asked = calls.filter((name) => name === hostname).length;
    calls.push(hostname);
    const rounds = answers[hostname];
    const round = rounds?.[Math.min(asked, rounds.length - 1)];
    if (!round) throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
    return round.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

const STRICT = { WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_ALLOW_HTTP: 'true' };

describe('SSRF guard with private destinations not allowed', () => {
  const refused: [string, (port: number) => string, RegExp][] = [
    ['127.0.0.1', (p) => `http://127.0.0.1:${p}/x`, /^127\.0\.0\.1 is a loopback address/],
    [
      'localhost',
      (p) => `http://localhost:${p}/x`,
      /^localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    ],
    ['10.0.0.1', (p) => `http://10.0.0.1:${p}/x`, /^10\.0\.0\.1 is a private address/],
    [
      '169.254.169.254',
      () => 'http://169.254.169.254/latest/meta-data/',
      /^169\.254\.169\.254 is a cloud metadata address/,
    ],
    ['[::1]', (p) => `http://[::1]:${p}/x`, /^::1 is a loopback address/],
    ['0.0.0.0', (p) => `http://0.0.0.0:${p}/x`, /^0\.0\.0\.0 is an unspecified address/],
    ['2130706433', (p) => `http://2130706433:${p}/x`, /^127\.0\.0\.1 is a loopback address/],
    [
      'a name whose lookup answers 127.0.0.1',
      (p) => `http://rebound.example:${p}/x`,
      /^rebound\.example resolves to 127\.0\.0\.1, a loopback address/,
    ],
  ];

  it.each(refused)('refuses %s without connecting', async (_name, url, reason) => {
    const dns = fakeDns({ 'rebound.example': [['127.0.0.1']] });
    const worker = harness.startWorker(STRICT, {
      // Real DNS for everything else, so "localhost" goes through the system resolver.
      resolve: (hostname) =>
        hostname === 'rebound.example' ? dns(hostname) : systemResolver(hostname),
    });
    const connectionsBefore = target.connectionCount;
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: url(target.port),
    });

    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(1);
    const prefix = 'Webhook destination was refused: ';
    expect(row.errorMessage?.startsWith(prefix)).toBe(true);
    expect(row.errorMessage?.slice(prefix.length)).toMatch(reason);
    expect(row.errorMessage).toMatch(/which is not allowed$/);
    expect(deliveryAttempts[0]?.statusCode).toBeNull();
    // Refused before any connection: no time spent waiting on a connect timeout either.
    expect(deliveryAttempts[0]?.durationMs).toBeLessThan(500);
    expect(target.connectionCount).toBe(connectionsBefore);
    expect(target.requests).toHaveLength(0);
  });

  it('refuses plain http when the operator has not allowed it', async () => {
    const worker = harness.startWorker({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_ALLOW_HTTP: 'false',
    });
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: `http://127.0.0.1:${target.port}/x`,
    });
    const { job: row } = await harness.settled(job);
    expect(row).toMatchObject({
      status: 'failed',
      errorMessage: 'Webhook destination was refused: url must start with https://',
    });
    expect(target.requests).toHaveLength(0);
  });
});

describe('operator allow-list', () => {
  it('lets an allowed CIDR range through', async () => {
    const worker = harness.startWorker({
      ...STRICT,
      WEBHOOK_ALLOWED_HOSTS: '10.9.0.0/16, 127.0.0.0/8',
    });
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: `http://127.0.0.1:${target.port}/cidr`,
    });
    expect((await harness.settled(job)).job.status).toBe('completed');
    expect(target.requestsTo('/cidr')).toHaveLength(1);
  });

  it('lets an allowed host name through and connects to the address it was checked with', async () => {
    const dns = fakeDns({ 'hooks.internal': [['127.0.0.1'], ['10.255.255.1']] });
    const worker = harness.startWorker(
      { ...STRICT, WEBHOOK_ALLOWED_HOSTS: 'hooks.internal' },
      { resolve: dns },
    );
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: `http://hooks.internal:${target.port}/named`,
    });
    const { job: row } = await harness.settled(job);
    expect(row.status).toBe('completed');
    const [request] = target.requestsTo('/named');
    expect(request?.headers.host).toBe(`hooks.internal:${target.port}`);
    // One answer per attempt: the HTTP client never asked DNS again (the second answer
    // would have sent it to an unreachable address and failed the attempt).
    expect(dns.calls).toEqual(['hooks.internal']);
  });

  it('still refuses private addresses outside the allow-list', async () => {
    const dns = fakeDns({ 'other.internal': [['127.0.0.1']] });
    const worker = harness.startWorker(
      { ...STRICT, WEBHOOK_ALLOWED_HOSTS: 'hooks.internal,10.0.0.0/8' },
      { resolve: dns },
    );
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: `http://other.internal:${target.port}/other`,
    });
    const { job: row } = await harness.settled(job);
    expect(row.errorMessage).toBe(
      'Webhook destination was refused: other.internal resolves to 127.0.0.1, a loopback address, which is not allowed',
    );
    expect(target.requestsTo('/other')).toHaveLength(0);
  });
});
