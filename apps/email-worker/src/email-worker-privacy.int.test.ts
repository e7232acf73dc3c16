import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { OPERATOR_KEY, useEmailTestBed } from '../test/email-test-bed.ts';
import { useEmailWorker } from '../test/email-worker-harness.ts';

const bed = useEmailTestBed();
const worker = useEmailWorker(bed);

const canary = randomBytes(6).toString('hex');
const CANARY_KEY = `SG.canary-key-${canary}`;
const CANARY_LOCAL_PART = `canary-recipient-${canary}`;
const CANARY_RECIPIENT = `${CANARY_LOCAL_PART}@canary-domain.example`;
const CANARY_SUBJECT = `Canary subject ${canary}`;
const CANARY_BODY_TEXT = `canary body text ${canary}`;
const CANARY_FROM = `canary-sender-${canary}@indie.example`;

/** Every value stored under the prefix, whatever the key's type, as one string. */
async function dumpRedis(client: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await client.type(key);
      parts.push(key);
      if (type === 'string') parts.push((await client.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await client.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await client.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await client.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await client.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

it('never logs the customer key, recipient, subject or body, and keeps them out of Redis', async () => {
  const customer = await bed.createCustomer('indie', CANARY_KEY);
  const payload = {
    to: CANARY_RECIPIENT,
    subject: CANARY_SUBJECT,
    body: `<p>${CANARY_BODY_TEXT}</p>`,
    from: CANARY_FROM,
  };

  // Success.
  const delivered = await worker.send(customer, payload);
  expect((await worker.waitForJob(customer, delivered)).job.status).toBe('completed');
  // 401: SendGrid no longer accepts the canary key.
  bed.sendgrid.setApiKeys([OPERATOR_KEY]);
  const unauthorized = await worker.send(customer, payload);
  expect((await worker.waitForJob(customer, unauthorized)).job.status).toBe('failed');
  bed.sendgrid.setApiKeys([OPERATOR_KEY, CANARY_KEY]);
  // 500, then timeout, then success: one job through both retryable paths.
  bed.sendgrid.script({ kind: 'respond', status: 500 }, { kind: 'hang' });
  const retried = await worker.send(customer, payload);
  const { job } = await worker.waitForJob(customer, retried);
  expect(job).toMatchObject({ status: 'completed', attempts: 3 });

  // The canaries really went out: otherwise finding nothing in the logs would prove nothing.
  const answers = bed.sendgrid.requests.map((request) => [request.apiKey, request.answer]);
  expect(answers).toEqual([
    [CANARY_KEY, 202],
    [CANARY_KEY, 401],
    [CANARY_KEY, 500],
    [CANARY_KEY, 'hang'],
    [CANARY_KEY, 202],
  ]);
  expect(bed.sendgrid.requests[0]?.rawBody).toContain(CANARY_RECIPIENT);

  const logs = worker.log.lines.join('\n');
  expect(worker.log.lines.length).toBeGreaterThan(10);
  expect(logs).toContain(delivered);
  for (const secret of [
    CANARY_KEY,
    `canary-key-${canary}`,
    CANARY_RECIPIENT,
    CANARY_LOCAL_PART,
    CANARY_SUBJECT,
    CANARY_BODY_TEXT,
    CANARY_FROM,
  ]) {
    expect(logs).not.toContain(secret);
  }

  const redisDump = await dumpRedis(worker.redis.client, worker.redis.prefix);
  expect(redisDump).toContain(delivered);
  for (const secret of [
    CANARY_KEY,
    CANARY_RECIPIENT,
    CANARY_LOCAL_PART,
    CANARY_SUBJECT,
    CANARY_BODY_TEXT,
  ]) {
    expect(redisDump).not.toContain(secret);
  }
});
