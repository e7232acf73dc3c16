import {
  countsAgainstQuota,
  type JobType,
  monthlyQuotaPeriod,
  type PlanLimits,
  type QuotaPeriod,
} from '@notifykit/core';
import type { UsageRepository } from '@notifykit/db';
import type { Redis } from 'ioredis';
import { DependencyUnavailableError } from '../http/infrastructure-errors.ts';

// The monthly quota is enforced on a Redis mirror of Postgres' monthly_usage table, because the
// check and the increment must be one atomic step across every API replica, and a row lock per
// send would serialise a customer's traffic on Postgres.
//
// Mirror semantics:
// - Postgres (monthly_usage, incremented in the job's own transaction for every accepted send,
//   by type) is the durable count; the quota sums the types the plan charges.
// - The Redis counter is seeded from Postgres the first time a month is touched, then moves
//   ahead of Postgres by the sends in flight: a reservation is taken before the job's
//   transaction and released if no job is created. So Redis may briefly run ahead of Postgres,
//   never behind it, and a customer is never let past the limit.
// - If a release itself fails (Redis went away mid-request) or a process dies between reserve
//   and commit, the counter stays one too high until the month ends; deleting the key makes
//   the next send reseed it from Postgres.
// - The key names the job types that count, so a plan change that alters them (free counts
//   email and webhook, indie only webhooks) starts a fresh counter seeded with the right sum.

const RESERVE_SCRIPT = `
local used = redis.call('GET', KEYS[1])
if not used then
  if ARGV[3] == '' then return {-1, 0} end
  redis.call('SET', KEYS[1], ARGV[3], 'NX', 'PXAT', ARGV[2])
  used = ARGV[3]
end
used = tonumber(used)
if used >= tonumber(ARGV[1]) then return {0, used} end
return {1, redis.call('INCR', KEYS[1])}
`;

// Never below zero: a release racing a key that expired or was deleted must not go negative.
const RELEASE_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`;

// The counter outlives its month by a day so a request straddling midnight still finds it.
const EXPIRY_GRACE_MS = 24 * 60 * 60 * 1000;

/** Outcome of {@link MonthlyQuota.reserve}. */
export type QuotaReservation =
  /** The send is not charged (unlimited, or its type does not count on this plan). */
  | { status: 'not-charged' }
  /** One unit is held; call `release` if the request ends without creating a job. */
  | { status: 'reserved'; used: number; limit: number; release(): Promise<void> }
  /** The month's quota is spent; nothing was reserved. */
  | { status: 'exceeded'; used: number; limit: number; period: QuotaPeriod };

/** Atomic monthly quota reservations over a Redis mirror of the usage table. */
export interface MonthlyQuota {
  /** Reserves one send of `type` for the UTC month containing `now`, if it counts. */
  reserve(
    customerId: string,
    limits: PlanLimits,
    type: JobType,
    now?: Date,
  ): Promise<QuotaReservation>;
  /** Redis key of a customer's counter (exposed for tests and operator tooling). */
  counterKey(customerId: string, limits: PlanLimits, period: QuotaPeriod): string;
}

/** Quota mirror under `keyPrefix`, seeded from `usage` when a month's counter is missing. */
export function createMonthlyQuota(
  redis: Redis,
  keyPrefix: string,
  usage: UsageRepository,
): MonthlyQuota {
  const counterKey = (customerId: string, limits: PlanLimits, period: QuotaPeriod) =>
    `${keyPrefix}quota:${customerId}:${period.key}:${[...limits.quotaCounts].sort().join('+')}`;

  // Redis failures become DependencyUnavailableError (503); a failing Postgres read while
  // seeding keeps its own error, which the error handler maps the same way.
  const evaluate = async (script: string, key: string, ...args: (string | number)[]) => {
    try {
      return await redis.eval(script, 1, key, ...args);
    } catch (error) {
      throw new DependencyUnavailableError('redis', error);
    }
  };
  const run = async (key: string, limit: number, expireAt: number, seed: string) =>
    (await evaluate(RESERVE_SCRIPT, key, limit, expireAt, seed)) as [number, number];

  return {
    counterKey,

    async reserve(customerId, limits, type, now = new Date()) {
      const limit = limits.monthlyQuota;
      if (limit === null || !countsAgainstQuota(limits, type)) return { status: 'not-charged' };
      const period = monthlyQuotaPeriod(now);
      const key = counterKey(customerId, limits, period);
      // A counter set with an expiry in the past would vanish at once and the INCR would then
      // recreate it without one; never expire sooner than a grace period from now.
      const expireAt = Math.max(period.resetsAt.getTime(), Date.now()) + EXPIRY_GRACE_MS;

      let [outcome, used] = await run(key, limit, expireAt, '');
      if (outcome === -1) {
        // Only the first script to run seeds (SET NX); concurrent seeders then count on top of
        // the same value, so they agree whichever Postgres read was freshest.
        const stored = await usage.get(customerId, period.startsAt);
        const seed =
          (limits.quotaCounts.includes('email') ? stored.emailCount : 0) +
          (limits.quotaCounts.includes('webhook') ? stored.webhookCount : 0);
        [outcome, used] = await run(key, limit, expireAt, String(seed));
      }
      if (outcome === 0) return { status: 'exceeded', used, limit, period };

      let released = false;
      return {
        status: 'reserved',
        used,
        limit,
        async release() {
          if (released) return;
          released = true;
          await evaluate(RELEASE_SCRIPT, key);
        },
      };
    },
  };
}
