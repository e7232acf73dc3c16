import type { EnqueueRequest } from '@notifykit/queue';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../dependencies.ts';

/** Longest a request waits for its queue write before answering anyway. */
export const ENQUEUE_TIMEOUT_MS = 2_000;

type EnqueueDeps = Pick<AppDeps, 'redis' | 'producer'>;

/**
 * Adds the queue entry of a job that is already committed in Postgres; true when it was added.
 * Never throws and never hangs: BullMQ waits indefinitely for a Redis connection that is not
 * ready, and the job is safe either way, because the sweeper enqueues pending jobs that have no
 * live queue entry (CONTRACT §7). A request must not fail, or wait, for what the sweeper fixes.
 */
export async function enqueueCommittedJob(
  deps: EnqueueDeps,
  request: EnqueueRequest & { mode: 'enqueue' | 'requeue' },
  log: FastifyBaseLogger,
): Promise<boolean> {
  const { mode, ...entry } = request;
  if (deps.redis.status !== 'ready') {
    log.warn({ jobId: entry.jobId }, 'redis not ready; the sweeper will queue the job');
    return false;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('queue write timed out')), ENQUEUE_TIMEOUT_MS);
  });
  try {
    const write = mode === 'enqueue' ? deps.producer.enqueue(entry) : deps.producer.requeue(entry);
    await Promise.race([write, timeout]);
    return true;
  } catch (error) {
    log.warn(
      { err: error, jobId: entry.jobId },
      'queue write failed; the sweeper will queue the job',
    );
    return false;
  } finally {
    clearTimeout(timer);
  }
}
