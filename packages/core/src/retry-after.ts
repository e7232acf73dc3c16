// Retry-After (RFC 9110 §10.2.3) is either delay-seconds or an HTTP-date. A recipient must
// accept all three HTTP-date formats (§5.6.7); IMF-fixdate is the one servers should send.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const DAY = DAYS.join('|');
const MONTH = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^(${DAY}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(
  `^(${LONG_DAYS.join('|')}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`,
);
const ASCTIME_DATE = new RegExp(`^(${DAY}) (${MONTH}) ([ \\d]\\d) ${TIME} (\\d{4})$`);
const DELAY_SECONDS = /^\d+$/;

interface DateParts {
  weekday: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear takes the year literally.
function utcMs(year: number, month: number, day: number, h = 0, m = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(h, m, s, 0);
  return date.getTime();
}

function toEpochMs(parts: DateParts): number | null {
  const { year, month, day, hour, minute, second } = parts;
  // 60 is allowed for a leap second; it rolls into the next minute.
  if (hour > 23 || minute > 59 || second > 60) return null;
  // Rejects 31 Feb and friends, and a weekday that contradicts the date.
  const midnight = new Date(utcMs(year, month, day));
  if (midnight.getUTCMonth() !== month || midnight.getUTCDate() !== day) return null;
  if (midnight.getUTCDay() !== parts.weekday) return null;
  return utcMs(year, month, day, hour, minute, second);
}

function parseHttpDate(text: string, now: Date): number | null {
  let m = IMF_FIXDATE.exec(text);
  if (m) {
    return toEpochMs({
      weekday: DAYS.indexOf(m[1] ?? ''),
      day: Number(m[2]),
      month: MONTHS.indexOf(m[3] ?? ''),
      year: Number(m[4]),
      hour: Number(m[5]),
      minute: Number(m[6]),
      second: Number(m[7]),
    });
  }
  m = RFC850_DATE.exec(text);
  if (m) {
    // Two-digit year: the most recent matching year not more than 50 years ahead (§5.6.7).
    const twoDigits = Number(m[4]);
    const nowYear = now.getUTCFullYear();
    let year = nowYear - (nowYear % 100) + twoDigits;
    if (year > nowYear + 50) year -= 100;
    return toEpochMs({
      weekday: LONG_DAYS.indexOf(m[1] ?? ''),
      day: Number(m[2]),
      month: MONTHS.indexOf(m[3] ?? ''),
      year,
      hour: Number(m[5]),
      minute: Number(m[6]),
      second: Number(m[7]),
    });
  }
  m = ASCTIME_DATE.exec(text);
  if (m) {
    return toEpochMs({
      weekday: DAYS.indexOf(m[1] ?? ''),
      month: MONTHS.indexOf(m[2] ?? ''),
      day: Number((m[3] ?? '').trim()),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6]),
      year: Number(m[7]),
    });
  }
  return null;
}

/**
 * How long a Retry-After header asks us to wait, in ms, capped at `capMs`: delay-seconds or an
 * HTTP-date (a past date is 0). Null for a missing, empty, negative, fractional or unparseable
 * value, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(
  headerValue: string | null | undefined,
  now: Date,
  capMs: number,
): number | null {
  if (!Number.isFinite(capMs) || capMs < 0) {
    throw new RangeError(`parseRetryAfter: capMs must be a finite number ≥ 0, got ${capMs}`);
  }
  if (!Number.isFinite(now.getTime())) throw new RangeError('parseRetryAfter: invalid now');
  if (typeof headerValue !== 'string') return null;
  const text = headerValue.trim();
  if (DELAY_SECONDS.test(text)) return Math.min(Number(text) * 1000, capMs);
  const at = parseHttpDate(text, now);
  if (at === null) return null;
  return Math.min(Math.max(at - now.getTime(), 0), capMs);
}
