import type { JobType } from '@notifykit/core';
import { type JobProducer, QUEUE_NAMES } from '@notifykit/queue';
import type { Logger } from '@notifykit/runtime';
import { Gauge, type Registry } from 'prom-client';

/** A scrape must not hang on Redis: past this, the queue gauges are left empty for the scrape. */
export const QUEUE_SCRAPE_TIMEOUT_MS = 1_000;

type Counts = Awaited<ReturnType<JobProducer['counts']>>;

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`queue counts took longer than ${ms} ms`)), ms).unref();
  });
}

/**
 * BullMQ entry counts per queue and state, read from Redis at scrape time. When Redis does not
 * answer, `notifykit_queue_metrics_up` is 0 and no stale counts are reported.
 */
export function registerQueueMetrics(
  registry: Registry,
  producer: JobProducer,
  logger: Logger,
): void {
  // Both gauges are collected in the same scrape; they share one Redis read so `up` always
  // describes the counts printed next to it.
  let inFlight: Promise<Counts | null> | undefined;
  const readCounts = (): Promise<Counts | null> => {
    inFlight ??= Promise.race([producer.counts(), timeout(QUEUE_SCRAPE_TIMEOUT_MS)])
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'could not read queue counts for metrics');
        return null;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  new Gauge({
    name: 'notifykit_queue_jobs',
    help: 'Queue entries per queue and BullMQ state at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await readCounts();
      if (!counts) return;
      for (const [type, states] of Object.entries(counts) as [JobType, Counts[JobType]][]) {
        for (const [state, value] of Object.entries(states)) {
          this.set({ queue: QUEUE_NAMES[type], state }, value);
        }
      }
    },
  });
  new Gauge({
    name: 'notifykit_queue_metrics_up',
    help: '1 when this scrape could read the queue counts from Redis, else 0',
    registers: [registry],
    async collect() {
      this.set((await readCounts()) ? 1 : 0);
    },
  });
}
