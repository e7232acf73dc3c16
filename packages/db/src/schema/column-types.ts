import { timestamp } from 'drizzle-orm/pg-core';

/**
 * `timestamp(3) with time zone`: millisecond precision matches JavaScript Dates and the
 * contract's ISO strings, so a value read back compares equal to the one written.
 */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
}
