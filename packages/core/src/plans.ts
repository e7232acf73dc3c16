import type { JobType } from './job-model.ts';

/** Plan names, cheapest first. */
export const PLAN_NAMES = ['free', 'indie', 'startup', 'enterprise'] as const;
/** One of {@link PLAN_NAMES}. */
export type PlanName = (typeof PLAN_NAMES)[number];

/** Whose SendGrid key sends a customer's email. */
export type EmailKeySource = 'operator' | 'customer';

/** Limits and email rules of one plan (CONTRACT §5); null means unlimited. */
export interface PlanLimits {
  plan: PlanName;
  /** Notifications per calendar month (UTC) counted over {@link quotaCounts}. */
  monthlyQuota: number | null;
  /** Job types charged against the monthly quota. */
  quotaCounts: readonly JobType[];
  /** Send requests (POST) per minute. */
  sendRateLimitPerMinute: number | null;
  /** Read requests (GET) per minute: their own bucket, ten times the send bucket. */
  readRateLimitPerMinute: number | null;
  emailKeySource: EmailKeySource;
  /** Whether the request may set `from`. */
  customFromAllowed: boolean;
  /** Whether every email goes out from the operator's default sender. */
  forcesDefaultSender: boolean;
}

/**
 * Per-customer overrides: a number (0 blocks) or null (unlimited) replaces the plan value;
 * undefined keeps it.
 */
export interface PlanOverrides {
  monthlyQuota?: number | null;
  rateLimitPerMinute?: number | null;
}

/**
 * The seed's exact words when an indie or startup customer has no SendGrid key: the API
 * answers them with 400 on send and retry, the email worker fails a queued job with them.
 */
export const MISSING_SENDGRID_KEY_MESSAGE =
  'Please add your SendGrid API key in settings before sending emails.';

/** Read buckets are this many times larger than send buckets. */
export const READ_RATE_MULTIPLIER = 10;

const BOTH: readonly JobType[] = Object.freeze(['email', 'webhook']);
const WEBHOOKS_ONLY: readonly JobType[] = Object.freeze(['webhook']);

function plan(
  name: PlanName,
  monthlyQuota: number | null,
  quotaCounts: readonly JobType[],
  sendRateLimitPerMinute: number | null,
  emailKeySource: EmailKeySource,
): Readonly<PlanLimits> {
  return Object.freeze({
    plan: name,
    monthlyQuota,
    quotaCounts,
    sendRateLimitPerMinute,
    readRateLimitPerMinute:
      sendRateLimitPerMinute === null ? null : sendRateLimitPerMinute * READ_RATE_MULTIPLIER,
    emailKeySource,
    customFromAllowed: name !== 'free',
    forcesDefaultSender: name === 'free',
  });
}

// Enterprise counts both types so that a quota override, if an operator sets one, applies to
// everything the customer sends; with the default null quota nothing is charged.
/** The default limits of every plan. */
export const PLANS: Readonly<Record<PlanName, Readonly<PlanLimits>>> = Object.freeze({
  free: plan('free', 100, BOTH, 5, 'operator'),
  indie: plan('indie', 4000, WEBHOOKS_ONLY, 50, 'customer'),
  startup: plan('startup', 15000, WEBHOOKS_ONLY, 200, 'customer'),
  enterprise: plan('enterprise', null, BOTH, null, 'operator'),
});

/** True for a known plan name. */
export function isPlanName(value: unknown): value is PlanName {
  return (PLAN_NAMES as readonly unknown[]).includes(value);
}

function checkOverride(name: string, value: number | null | undefined, min: number): void {
  if (value === undefined || value === null) return;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} override must be an integer ≥ ${min} or null, got ${value}`);
  }
}

/** A plan's limits with the customer's overrides applied; throws RangeError for a bad override. */
export function resolvePlanLimits(name: PlanName, overrides: PlanOverrides = {}): PlanLimits {
  if (!isPlanName(name)) throw new RangeError(`Unknown plan: ${String(name)}`);
  checkOverride('monthlyQuota', overrides.monthlyQuota, 0);
  checkOverride('rateLimitPerMinute', overrides.rateLimitPerMinute, 0);
  const base = PLANS[name];
  const send =
    overrides.rateLimitPerMinute === undefined
      ? base.sendRateLimitPerMinute
      : overrides.rateLimitPerMinute;
  return {
    ...base,
    monthlyQuota: overrides.monthlyQuota === undefined ? base.monthlyQuota : overrides.monthlyQuota,
    sendRateLimitPerMinute: send,
    readRateLimitPerMinute: send === null ? null : send * READ_RATE_MULTIPLIER,
  };
}

/** True when an accepted send of `type` is charged against the quota of a plan (or resolved limits). */
export function countsAgainstQuota(plan: PlanName | PlanLimits, type: JobType): boolean {
  const limits = typeof plan === 'string' ? resolvePlanLimits(plan) : plan;
  return limits.monthlyQuota !== null && limits.quotaCounts.includes(type);
}
