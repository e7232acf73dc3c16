import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection for request paths (the API): fails fast instead of queueing commands while Redis
 * is away, so a send answers 503 within about a second rather than hanging.
 */
export function createProducerRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    // Keep reconnecting in the background (capped backoff) so the API recovers on its own.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...options,
  });
}

/**
 * Connection for BullMQ workers: BullMQ requires `maxRetriesPerRequest: null` so its blocking
 * commands wait out a Redis restart instead of throwing.
 */
export function createWorkerRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
    ...options,
  });
}
