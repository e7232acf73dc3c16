import { fileURLToPath } from 'node:url';
import { type AppProcess, startAppProcess } from '@notifykit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type SentJob, useWorkerHarness } from '../test/worker-harness.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const harness = useWorkerHarness();
const { receiver } = harness;

const processes: AppProcess[] = [];
afterEach(async () => {
  for (const child of processes.splice(0)) await child.stop('SIGKILL');
});

function startWorkerProcess(prefix: string, env: Record<string, string> = {}): AppProcess {
  const child = startAppProcess('src/main.ts', {
    cwd: appDir,
    env: harness.childEnv(prefix, { LOG_LEVEL: 'info', ...env }),
  });
  processes.push(child);
  return child;
}

describe('the webhook-worker process', () => {
  it('starts, delivers, logs without secrets, and exits 0 on SIGTERM', async () => {
    const prefix = harness.newPrefix();
    const worker = startWorkerProcess(prefix);
    await worker.waitForLine(/"msg":"webhook-worker started"/);
    const customerId = await harness.createCustomer();
    const secret = await harness.rotateSecret(customerId);
    const job = await harness.sender(prefix).send({
      customerId,
      url: receiver.url('/process'),
      headers: { 'X-Canary': 'header-canary-value' },
      payload: { canary: 'payload-canary-value' },
    });

    expect((await harness.settled(job)).job.status).toBe('completed');
    await worker.waitForLine(/"msg":"delivered"/);
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.lines.some((line) => line.includes('"msg":"shutdown complete"'))).toBe(true);
    const output = worker.lines.join('\n');
    for (const leak of ['header-canary-value', 'payload-canary-value', secret, secret.slice(6)]) {
      expect(output).not.toContain(leak);
    }
    const delivered = worker.lines.find((line) => line.includes('"msg":"delivered"')) ?? '';
    expect(JSON.parse(delivered)).toMatchObject({
      jobId: job.jobId,
      attempt: 1,
      statusCode: 200,
      classification: 'success',
    });
  });

  it('refuses to start with every configuration problem named', async () => {
    const worker = startWorkerProcess(harness.newPrefix(), {
      LOG_LEVEL: 'loud',
      WEBHOOK_CONCURRENCY: 'many',
    });
    expect(await worker.waitForExit()).toBe(1);
    const output = worker.lines.join('\n');
    expect(output).toContain('LOG_LEVEL: must be one of');
    expect(output).toContain('WEBHOOK_CONCURRENCY');

    const derived = startWorkerProcess(harness.newPrefix(), {
      ENCRYPTION_KEYS: 'k1:short',
      WEBHOOK_ALLOWED_HOSTS: 'http://nope',
      RETRY_BASE_DELAY_MS: '5000',
      RETRY_MAX_DELAY_MS: '1000',
    });
    expect(await derived.waitForExit()).toBe(1);
    const problems = derived.lines.join('\n');
    expect(problems).toContain('ENCRYPTION_KEYS: encryption key "k1" must be 32 bytes');
    expect(problems).toContain('WEBHOOK_ALLOWED_HOSTS: "http://nope" is not a host name');
    expect(problems).toContain(
      'RETRY_MAX_DELAY_MS (1000) must not be below RETRY_BASE_DELAY_MS (5000)',
    );
  });

  it('on SIGTERM with 50 slow deliveries active: all 50 finish, no new job starts, exit 0', async () => {
    const prefix = harness.newPrefix();
    const path = '/slow';
    receiver.script(path, { status: 200, delayMs: 3_000 });
    const worker = startWorkerProcess(prefix, {
      WEBHOOK_CONCURRENCY: '50',
      WEBHOOK_TIMEOUT_MS: '20000',
      SHUTDOWN_GRACE_MS: '20000',
    });
    await worker.waitForLine(/"msg":"webhook-worker started"/);
    const customerId = await harness.createCustomer();
    const sender = harness.sender(prefix);
    const jobs: SentJob[] = [];
    for (let i = 0; i < 60; i++)
      jobs.push(await sender.send({ customerId, url: receiver.url(path) }));

    await receiver.waitForRequests(path, 50, 15_000);
    expect(receiver.inFlight).toBe(50);
    const signalledAt = Date.now();
    expect(await worker.stop('SIGTERM', 30_000)).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);

    const requests = receiver.requestsTo(path);
    expect(requests).toHaveLength(50);
    expect(requests.every((request) => request.reply?.finished === true)).toBe(true);
    const rows = await Promise.all(jobs.map((job) => harness.readJob(job)));
    const byStatus = (status: string) => rows.filter((row) => row.job.status === status);
    expect(byStatus('completed')).toHaveLength(50);
    expect(byStatus('pending')).toHaveLength(10);
    for (const row of byStatus('pending')) {
      expect(row.job).toMatchObject({ attempts: 0, startedAt: null });
      expect(row.deliveryAttempts).toEqual([]);
    }
  }, 60_000);
});
