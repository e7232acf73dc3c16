import { parseRetryPolicy, type RetryPolicy } from '@notifykit/core';

/** How a worker process consumes its queue, retries, sweeps and shuts down. */
export interface WorkerSettings {
  /** Jobs one process delivers at the same time. */
  concurrency: number;
  /**
   * BullMQ lock on an active entry; renewed while the job runs. Also the sweeper's window for
   * `processing` rows: one older than this whose entry is no longer active lost its worker.
   */
  lockDurationMs: number;
  /** How often BullMQ looks for entries whose lock expired (their worker died). */
  stalledIntervalMs: number;
  /** Stalls an entry may survive before BullMQ fails it (the runtime then hands it back). */
  maxStalledCount: number;
  /** Backoff between attempts; the budget itself is each job's own `maxAttempts`. */
  retryPolicy: Readonly<RetryPolicy>;
  sweeper: SweeperSettings;
  /** How long shutdown waits for active deliveries before aborting them. */
  shutdownGraceMs: number;
}

/** When and how much the sweeper re-enqueues. */
export interface SweeperSettings {
  intervalMs: number;
  /** Most jobs one pass looks at. */
  batchSize: number;
  /** A pending job is stale once it has been due this long without being claimed. */
  pendingGraceMs: number;
}

/** Defaults of every worker setting (retry policy defaults live in core). */
export const WORKER_SETTING_DEFAULTS = Object.freeze({
  concurrency: 10,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 1,
  sweeperIntervalMs: 30_000,
  sweeperBatchSize: 500,
  sweeperPendingGraceMs: 60_000,
  shutdownGraceMs: 30_000,
});

/**
 * Worker settings as both worker apps name them in their environment (workerEnvProperties in
 * worker-env.ts validates types and ranges; this maps them once). Absent values take the defaults.
 */
export interface WorkerEnvValues {
  WORKER_LOCK_DURATION_MS?: number;
  WORKER_STALLED_INTERVAL_MS?: number;
  WORKER_MAX_STALLED_COUNT?: number;
  RETRY_BASE_DELAY_MS?: number;
  RETRY_MULTIPLIER?: number;
  RETRY_MAX_DELAY_MS?: number;
  RETRY_JITTER_RATIO?: number;
  SWEEPER_INTERVAL_MS?: number;
  SWEEPER_BATCH_SIZE?: number;
  SWEEPER_PENDING_GRACE_MS?: number;
  SHUTDOWN_GRACE_MS?: number;
}

/**
 * Builds {@link WorkerSettings} from parsed environment values and the app's concurrency.
 * Throws core's RangeError (naming the policy field) when the retry values contradict each other.
 */
export function workerSettingsFromEnv(env: WorkerEnvValues, concurrency: number): WorkerSettings {
  const d = WORKER_SETTING_DEFAULTS;
  return {
    concurrency,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS ?? d.lockDurationMs,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS ?? d.stalledIntervalMs,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT ?? d.maxStalledCount,
    retryPolicy: parseRetryPolicy({
      baseDelayMs: env.RETRY_BASE_DELAY_MS,
      multiplier: env.RETRY_MULTIPLIER,
      maxDelayMs: env.RETRY_MAX_DELAY_MS,
      jitterRatio: env.RETRY_JITTER_RATIO,
    }),
    sweeper: {
      intervalMs: env.SWEEPER_INTERVAL_MS ?? d.sweeperIntervalMs,
      batchSize: env.SWEEPER_BATCH_SIZE ?? d.sweeperBatchSize,
      pendingGraceMs: env.SWEEPER_PENDING_GRACE_MS ?? d.sweeperPendingGraceMs,
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? d.shutdownGraceMs,
  };
}
