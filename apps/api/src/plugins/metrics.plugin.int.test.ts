import { createServer } from 'node:net';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/test-app.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition lines (comments skipped). */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`unparseable metrics line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} is ambiguous`);
  return found[0]?.value;
}

const deadPort = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

const t = useTestApp();
const other = useTestApp();
const redisDown = useTestApp({ REDIS_URL: `redis://127.0.0.1:${deadPort}` });

async function scrape(app = t.app): Promise<Sample[]> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseSamples(response.body);
}

describe('GET /metrics', () => {
  it('counts requests by method, route pattern and status, never by raw URL', async () => {
    for (let i = 0; i < 2; i += 1) await t.app.inject({ method: 'GET', url: '/api/v1/info' });
    await t.app.inject({ method: 'GET', url: '/api/v1/notifications/jobs/job_secretish123' });
    await t.app.inject({ method: 'GET', url: '/no/such/route/job_abc' });

    const samples = await scrape();
    const requests = 'notifykit_http_requests_total';
    expect(
      sampleValue(samples, requests, { method: 'GET', route: '/api/v1/info', status_code: '200' }),
    ).toBe(2);
    expect(
      sampleValue(samples, requests, {
        method: 'GET',
        route: '/api/v1/notifications/jobs/:jobId',
        status_code: '401',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, requests, { method: 'GET', route: 'unmatched', status_code: '404' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'notifykit_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/info',
        status_code: '200',
      }),
    ).toBe(2);
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes('job_')))).toBe(
      false,
    );
  });

  it('exposes process metrics', async () => {
    const samples = await scrape();
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('reads queue counts per queue and state at scrape time', async () => {
    const ids = ['job_metrics_a', 'job_metrics_b'];
    for (const jobId of ids) {
      await t.deps.producer.enqueue({
        jobId,
        customerId: 'cus_metrics',
        type: 'email',
        priority: 1,
      });
    }
    await t.deps.producer.enqueue({
      jobId: 'job_metrics_c',
      customerId: 'cus_metrics',
      type: 'webhook',
      priority: 5,
      delayMs: 60_000,
    });
    const samples = await scrape();
    const jobs = 'notifykit_queue_jobs';
    expect(sampleValue(samples, jobs, { queue: 'notifykit-email', state: 'prioritized' })).toBe(2);
    expect(sampleValue(samples, jobs, { queue: 'notifykit-email', state: 'delayed' })).toBe(0);
    expect(sampleValue(samples, jobs, { queue: 'notifykit-webhook', state: 'delayed' })).toBe(1);
    expect(sampleValue(samples, jobs, { queue: 'notifykit-webhook', state: 'failed' })).toBe(0);
    expect(sampleValue(samples, 'notifykit_queue_metrics_up')).toBe(1);
  });

  it('reports the Postgres pool', async () => {
    await t.app.inject({ method: 'GET', url: '/ready' });
    const samples = await scrape();
    expect(sampleValue(samples, 'notifykit_db_pool_max_clients')).toBe(10);
    expect(
      sampleValue(samples, 'notifykit_db_pool_clients', { state: 'total' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'notifykit_db_pool_waiting_requests')).toBe(0);
  });

  it('keeps one registry per app, none in the process-wide default registry', async () => {
    await other.app.inject({ method: 'GET', url: '/health' });
    const samples = await scrape(other.app);
    const info = { method: 'GET', route: '/api/v1/info', status_code: '200' };
    expect(sampleValue(samples, 'notifykit_http_requests_total', info)).toBeUndefined();
    expect(
      sampleValue(samples, 'notifykit_http_requests_total', {
        route: '/health',
        status_code: '200',
      }),
    ).toBe(1);
    expect(globalRegistry.getSingleMetric('notifykit_http_requests_total')).toBeUndefined();
  });

  it('still answers when Redis is down, saying the queue counts are missing', async () => {
    const samples = await scrape(redisDown.app);
    expect(sampleValue(samples, 'notifykit_queue_metrics_up')).toBe(0);
    expect(samples.filter((s) => s.name === 'notifykit_queue_jobs')).toEqual([]);
  });
});
