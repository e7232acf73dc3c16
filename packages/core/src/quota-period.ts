/** The calendar month (UTC) a quota counter belongs to. */
export interface QuotaPeriod {
  /** `YYYY-MM`, suitable as part of a counter key. */
  key: string;
  /** First millisecond of the month. */
  startsAt: Date;
  /** First millisecond of the next month, when the counter resets. */
  resetsAt: Date;
}

/** The UTC calendar month containing `now`. */
export function monthlyQuotaPeriod(now: Date = new Date(Date.now())): QuotaPeriod {
  const time = now.getTime();
  if (!Number.isFinite(time)) throw new RangeError('monthlyQuotaPeriod: invalid date');
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const startsAt = new Date(Date.UTC(year, month, 1));
  const resetsAt = new Date(Date.UTC(year, month + 1, 1));
  return { key: startsAt.toISOString().slice(0, 7), startsAt, resetsAt };
}

/** The 403 message of CONTRACT §5 for an exhausted quota. */
export function quotaExceededMessage(used: number, limit: number, resetsAt: Date): string {
  return `Monthly quota exceeded (${used}/${limit}). Resets at ${resetsAt.toISOString()}.`;
}
