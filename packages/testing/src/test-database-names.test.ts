import { describe, expect, it } from 'vitest';
import {
  databaseUrlFor,
  newTestDatabaseName,
  quoteIdentifier,
  testDatabaseCreatedAt,
} from './test-database-names.ts';

describe('test database names', () => {
  it('are unique, unquoted-identifier safe and carry their creation time', () => {
    const now = Date.UTC(2026, 0, 9, 12, 0, 0);
    const a = newTestDatabaseName(now);
    const b = newTestDatabaseName(now);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^nk_test_[0-9a-z_]+$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(testDatabaseCreatedAt(a)?.getTime()).toBe(now);
  });

  it('does not claim databases that are not ours', () => {
    expect(testDatabaseCreatedAt('postgres')).toBeNull();
    expect(testDatabaseCreatedAt('nk_test_someone_elses')).toBeNull();
  });

  it('swaps only the database in a URL', () => {
    expect(databaseUrlFor('postgres://u:p@h:5433/postgres?sslmode=disable', 'nk_test_x')).toBe(
      'postgres://u:p@h:5433/nk_test_x?sslmode=disable',
    );
  });

  it('quotes identifiers', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
