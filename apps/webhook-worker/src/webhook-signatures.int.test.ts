import { createHmac, randomBytes } from 'node:crypto';
import {
  notifyKitSignatures,
  type ReceivedRequest,
  verifyWebhookSignature,
} from '@notifykit/testing';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../test/worker-harness.ts';
import { USER_AGENT } from './webhook-worker.ts';

const harness = useWorkerHarness();
const { receiver } = harness;
const freshPath = () => `/signed/${randomBytes(4).toString('hex')}`;

function header(request: ReceivedRequest | undefined, name: string): string {
  const value = request?.headers[name.toLowerCase()];
  if (typeof value !== 'string') throw new Error(`request has no single ${name} header`);
  return value;
}

/** Verifies a recorded request the way a receiver would, with the SDK's rules. */
function sdkAccepts(request: ReceivedRequest | undefined, secret: string): boolean {
  return verifyWebhookSignature(
    request?.body ?? '',
    header(request, 'X-Webhook-Timestamp'),
    header(request, 'X-Webhook-Signature'),
    secret,
  );
}

/** Verifies with the standardwebhooks npm package; throws when it rejects. */
function standardWebhooksVerify(request: ReceivedRequest | undefined, secret: string): unknown {
  return new Webhook(secret).verify(request?.body ?? '', {
    'webhook-id': header(request, 'webhook-id'),
    'webhook-timestamp': header(request, 'webhook-timestamp'),
    'webhook-signature': header(request, 'webhook-signature'),
  });
}

describe('what a receiver sees', () => {
  it('sends the customer’s request with identity and both signatures', async () => {
    const path = freshPath();
    const customerId = await harness.createCustomer();
    const secret = await harness.rotateSecret(customerId);
    const payload = { event: 'order.paid', amount: 4200, note: 'héllo "quoted"' };
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId,
      url: receiver.url(path),
      method: 'PUT',
      headers: { 'X-Tenant': 'acme' },
      payload,
    });

    const [request] = await receiver.waitForRequests(path, 1);
    // The body is the exact serialization of the customer's payload, key order included.
    const stored = (await harness.readJob(job)).job.payload as { payload: unknown };
    expect(request).toMatchObject({ method: 'PUT', body: JSON.stringify(payload) });
    expect(JSON.stringify(stored.payload)).toBe(JSON.stringify(payload));
    expect(JSON.parse(request?.body ?? '')).toEqual(payload);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-tenant': 'acme',
      'webhook-id': job.jobId,
    });
    expect(USER_AGENT).toMatch(/^NotifyKit\/\d+\.\d+\.\d+$/);
    const timestamp = header(request, 'X-Webhook-Timestamp');
    expect(header(request, 'webhook-timestamp')).toBe(timestamp);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(10);
    expect(sdkAccepts(request, secret)).toBe(true);
    expect(sdkAccepts(request, `${secret}x`)).toBe(false);
    expect(standardWebhooksVerify(request, secret)).toEqual(payload);
    expect(() =>
      standardWebhooksVerify(request, `whsec_${randomBytes(32).toString('base64')}`),
    ).toThrow();
    expect((await harness.settled(job)).job.status).toBe('completed');
  });

  it('signs with both secrets during a rotation overlap', async () => {
    const path = freshPath();
    const customerId = await harness.createCustomer();
    const oldSecret = await harness.rotateSecret(customerId);
    const newSecret = await harness.rotateSecret(customerId);
    const worker = harness.startWorker();
    await worker.send({ customerId, url: receiver.url(path) });

    const [request] = await receiver.waitForRequests(path, 1);
    // Standard Webhooks: libraries accept any listed signature, so both secrets verify.
    expect(standardWebhooksVerify(request, oldSecret)).toEqual({ event: 'test' });
    expect(standardWebhooksVerify(request, newSecret)).toEqual({ event: 'test' });
    expect(header(request, 'webhook-signature').split(' ')).toHaveLength(2);
    // NotifyKit: one v1 per secret, newest last, so the SDK (which keeps the last) verifies
    // with the new secret, and an any-entry verifier with either.
    expect(sdkAccepts(request, newSecret)).toBe(true);
    const timestamp = header(request, 'X-Webhook-Timestamp');
    const hmac = (secret: string) =>
      createHmac('sha256', secret).update(`${timestamp}.${request?.body}`).digest('hex');
    expect(notifyKitSignatures(header(request, 'X-Webhook-Signature'))).toEqual([
      hmac(oldSecret),
      hmac(newSecret),
    ]);
  });

  it('keeps webhook-id across retries and a manual retry, with a fresh signature each time', async () => {
    const path = freshPath();
    const customerId = await harness.createCustomer();
    const secret = await harness.rotateSecret(customerId);
    receiver.script(path, { status: 500 }, { status: 500 }, { status: 200 });
    const worker = harness.startWorker();
    const job = await worker.send({ customerId, url: receiver.url(path), maxAttempts: 2 });
    expect((await harness.settled(job)).job.status).toBe('failed');

    await worker.retry(job);
    const requests = await receiver.waitForRequests(path, 3);
    const { job: row, deliveryAttempts } = await harness.settled(job);
    expect(row).toMatchObject({ status: 'completed', attempts: 1 });
    expect(deliveryAttempts.map((a) => [a.attemptNumber, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(requests.map((request) => header(request, 'webhook-id'))).toEqual([
      job.jobId,
      job.jobId,
      job.jobId,
    ]);
    for (const request of requests) {
      expect(sdkAccepts(request, secret)).toBe(true);
      expect(standardWebhooksVerify(request, secret)).toEqual({ event: 'test' });
    }
  });

  it('sends no body for GET and signs the empty body', async () => {
    const path = freshPath();
    const customerId = await harness.createCustomer();
    const secret = await harness.rotateSecret(customerId);
    const worker = harness.startWorker();
    await worker.send({ customerId, url: receiver.url(path), method: 'GET', payload: { a: 1 } });

    const [request] = await receiver.waitForRequests(path, 1);
    expect(request).toMatchObject({ method: 'GET', body: '' });
    expect(request?.headers['content-length']).toBeUndefined();
    expect(sdkAccepts(request, secret)).toBe(true);
  });

  it('sends webhook-id but no signature headers when the customer has no secret', async () => {
    const path = freshPath();
    const worker = harness.startWorker();
    const job = await worker.send({
      customerId: await harness.createCustomer(),
      url: receiver.url(path),
    });

    const [request] = await receiver.waitForRequests(path, 1);
    expect(request?.headers['webhook-id']).toBe(job.jobId);
    for (const name of ['x-webhook-signature', 'x-webhook-timestamp', 'webhook-signature']) {
      expect(request?.headers[name]).toBeUndefined();
    }
  });
});
