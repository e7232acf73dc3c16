import { describe, expect, it } from 'vitest';
import { countsAgainstQuota, isPlanName, PLAN_NAMES, PLANS, resolvePlanLimits } from './plans.ts';

describe('plan table (CONTRACT §5)', () => {
  it('lists the four plans', () => {
    expect(PLAN_NAMES).toEqual(['free', 'indie', 'startup', 'enterprise']);
    expect(isPlanName('startup')).toBe(true);
    expect(isPlanName('Startup')).toBe(false);
    expect(isPlanName('pro')).toBe(false);
    expect(isPlanName(undefined)).toBe(false);
  });

  it('free: 100 of email and webhook together, 5/min, operator key, default sender', () => {
    expect(PLANS.free).toEqual({
      plan: 'free',
      monthlyQuota: 100,
      quotaCounts: ['email', 'webhook'],
      sendRateLimitPerMinute: 5,
      readRateLimitPerMinute: 50,
      emailKeySource: 'operator',
      customFromAllowed: false,
      forcesDefaultSender: true,
    });
  });

  it('indie: 4,000 webhooks, email unlimited, 50/min, customer key', () => {
    expect(PLANS.indie).toEqual({
      plan: 'indie',
      monthlyQuota: 4000,
      quotaCounts: ['webhook'],
      sendRateLimitPerMinute: 50,
      readRateLimitPerMinute: 500,
      emailKeySource: 'customer',
      customFromAllowed: true,
      forcesDefaultSender: false,
    });
  });

  it('startup: 15,000 webhooks, email unlimited, 200/min, customer key', () => {
    expect(PLANS.startup).toEqual({
      plan: 'startup',
      monthlyQuota: 15000,
      quotaCounts: ['webhook'],
      sendRateLimitPerMinute: 200,
      readRateLimitPerMinute: 2000,
      emailKeySource: 'customer',
      customFromAllowed: true,
      forcesDefaultSender: false,
    });
  });

  it('enterprise: unlimited everything, operator key', () => {
    expect(PLANS.enterprise).toEqual({
      plan: 'enterprise',
      monthlyQuota: null,
      quotaCounts: ['email', 'webhook'],
      sendRateLimitPerMinute: null,
      readRateLimitPerMinute: null,
      emailKeySource: 'operator',
      customFromAllowed: true,
      forcesDefaultSender: false,
    });
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(PLANS)).toBe(true);
    expect(Object.isFrozen(PLANS.free)).toBe(true);
    expect(Object.isFrozen(PLANS.free.quotaCounts)).toBe(true);
  });
});

describe('resolvePlanLimits', () => {
  it('returns the plan defaults without overrides', () => {
    for (const plan of PLAN_NAMES) {
      expect(resolvePlanLimits(plan)).toEqual(PLANS[plan]);
      expect(resolvePlanLimits(plan, {})).toEqual(PLANS[plan]);
    }
  });

  it('lets a number override win and scales the read bucket with it', () => {
    const limits = resolvePlanLimits('free', { monthlyQuota: 1000, rateLimitPerMinute: 30 });
    expect(limits.monthlyQuota).toBe(1000);
    expect(limits.sendRateLimitPerMinute).toBe(30);
    expect(limits.readRateLimitPerMinute).toBe(300);
    expect(limits.quotaCounts).toEqual(['email', 'webhook']);
    expect(limits.customFromAllowed).toBe(false);
  });

  it('treats null as an explicit "unlimited" and undefined as "keep the plan value"', () => {
    const unlimited = resolvePlanLimits('indie', { monthlyQuota: null, rateLimitPerMinute: null });
    expect(unlimited.monthlyQuota).toBeNull();
    expect(unlimited.sendRateLimitPerMinute).toBeNull();
    expect(unlimited.readRateLimitPerMinute).toBeNull();
    const kept = resolvePlanLimits('indie', {
      monthlyQuota: undefined,
      rateLimitPerMinute: undefined,
    });
    expect(kept).toEqual(PLANS.indie);
  });

  it('can limit an enterprise customer, counting both types', () => {
    const limits = resolvePlanLimits('enterprise', {
      monthlyQuota: 1_000_000,
      rateLimitPerMinute: 1000,
    });
    expect(limits.monthlyQuota).toBe(1_000_000);
    expect(limits.readRateLimitPerMinute).toBe(10_000);
    expect(countsAgainstQuota(limits, 'email')).toBe(true);
    expect(countsAgainstQuota(limits, 'webhook')).toBe(true);
  });

  it('allows zero overrides, which block sending', () => {
    expect(resolvePlanLimits('free', { monthlyQuota: 0 }).monthlyQuota).toBe(0);
    const blocked = resolvePlanLimits('startup', { rateLimitPerMinute: 0 });
    expect(blocked.sendRateLimitPerMinute).toBe(0);
    expect(blocked.readRateLimitPerMinute).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'refuses the override %s',
    (value) => {
      expect(() => resolvePlanLimits('free', { monthlyQuota: value })).toThrow(
        /monthlyQuota override must be an integer/,
      );
      expect(() => resolvePlanLimits('free', { rateLimitPerMinute: value })).toThrow(
        /rateLimitPerMinute override must be an integer/,
      );
    },
  );

  it('refuses an unknown plan', () => {
    expect(() => resolvePlanLimits('pro' as 'free')).toThrow('Unknown plan: pro');
  });

  it('does not mutate the shared table', () => {
    resolvePlanLimits('free', { monthlyQuota: 5 });
    expect(PLANS.free.monthlyQuota).toBe(100);
  });
});

describe('countsAgainstQuota', () => {
  it.each([
    ['free', 'email', true],
    ['free', 'webhook', true],
    ['indie', 'email', false],
    ['indie', 'webhook', true],
    ['startup', 'email', false],
    ['startup', 'webhook', true],
    ['enterprise', 'email', false],
    ['enterprise', 'webhook', false],
  ] as const)('%s / %s → %s', (plan, type, expected) => {
    expect(countsAgainstQuota(plan, type)).toBe(expected);
    expect(countsAgainstQuota(resolvePlanLimits(plan), type)).toBe(expected);
  });

  it('stops counting when an override makes the quota unlimited', () => {
    const limits = resolvePlanLimits('free', { monthlyQuota: null });
    expect(countsAgainstQuota(limits, 'email')).toBe(false);
    expect(countsAgainstQuota(limits, 'webhook')).toBe(false);
  });

  it('never starts counting indie email, even with a quota override', () => {
    expect(countsAgainstQuota(resolvePlanLimits('indie', { monthlyQuota: 10 }), 'email')).toBe(
      false,
    );
  });
});
