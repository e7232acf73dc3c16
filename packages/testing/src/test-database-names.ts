import { randomBytes } from 'node:crypto';

const PREFIX = 'nk_test_';
// nk_test_<creation ms, base36>_<random hex>: the timestamp lets a later run recognise
// databases abandoned by a crashed run without touching ones a concurrent run still uses.
const PATTERN = /^nk_test_([0-9a-z]+)_[0-9a-f]{12}$/;

/** A fresh, unique, lowercase database name that needs no quoting. */
export function newTestDatabaseName(nowMs: number = Date.now()): string {
  return `${PREFIX}${nowMs.toString(36)}_${randomBytes(6).toString('hex')}`;
}

/** Creation time encoded in a test database name, or null when the name is not one of ours. */
export function testDatabaseCreatedAt(name: string): Date | null {
  const match = PATTERN.exec(name);
  if (!match?.[1]) return null;
  const ms = Number.parseInt(match[1], 36);
  return Number.isSafeInteger(ms) ? new Date(ms) : null;
}

/** The LIKE pattern matching every test database name (underscores escaped). */
export const TEST_DATABASE_LIKE = 'nk\\_test\\_%';

/** The connection URL of another database on the same server as `serverUrl`. */
export function databaseUrlFor(serverUrl: string, databaseName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** Quotes an identifier for interpolation into DDL, which cannot take bind parameters. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
