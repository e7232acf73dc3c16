import type { Redis } from 'ioredis';
import { DependencyUnavailableError } from '../http/infrastructure-errors.ts';

/**
 * GCRA (a token bucket stored as one "theoretical arrival time"): `limit` requests may arrive at
 * once, then one more every 60/limit seconds. One key per customer and bucket, so every API
 * replica shares the same budget; Redis' own clock is used so replicas need not agree on time.
 */
const GCRA_SCRIPT = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = period / limit
local tat = tonumber(redis.call('GET', key) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - period
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', key, new_tat, 'PX', math.ceil(new_tat - now))
local remaining = math.floor((now - allow_at) / interval)
return {1, remaining, 0, new_tat - now}
`;

/** Whether one request may proceed, and what the RateLimit-* headers should say. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
  /** Whole seconds until the bucket is full again. */
  resetSeconds: number;
}

/** Per-customer request buckets shared by every API replica. */
export interface RateLimiter {
  /** Takes one request from the customer's bucket (callers skip this for unlimited plans). */
  consume(customerId: string, bucket: 'send' | 'read', limit: number): Promise<RateLimitDecision>;
}

const PERIOD_MS = 60_000;

/** Redis-backed limiter; `keyPrefix` isolates deployments (and test files) sharing a Redis. */
export function createRateLimiter(redis: Redis, keyPrefix: string): RateLimiter {
  return {
    async consume(customerId, bucket, limit) {
      // An override of 0 blocks the customer; GCRA cannot express it (interval = 60 s / 0).
      if (limit <= 0) {
        const wait = PERIOD_MS / 1000;
        return {
          allowed: false,
          limit: 0,
          remaining: 0,
          retryAfterSeconds: wait,
          resetSeconds: wait,
        };
      }
      const key = `${keyPrefix}ratelimit:${bucket}:${customerId}`;
      let reply: unknown;
      try {
        reply = await redis.eval(GCRA_SCRIPT, 1, key, limit, PERIOD_MS);
      } catch (error) {
        // Without Redis there is no shared budget; refusing (503) is safer than letting every
        // replica serve unlimited traffic.
        throw new DependencyUnavailableError('redis', error);
      }
      const [allowed, remaining, retryMs, resetMs] = reply as [number, number, number, number];
      return {
        allowed: allowed === 1,
        limit,
        remaining: Math.max(0, remaining),
        retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryMs / 1000)),
        resetSeconds: Math.max(0, Math.ceil(resetMs / 1000)),
      };
    },
  };
}
