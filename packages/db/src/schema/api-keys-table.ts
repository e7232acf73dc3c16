import { sql } from 'drizzle-orm';
import { check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './column-types.ts';
import { customers } from './customers-table.ts';

/** API keys (`key_` ids). Only the SHA-256 hex digest of the key is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    keyHash: text('key_hash').notNull().unique('api_keys_key_hash_unique'),
    lastFour: text('last_four').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    revokedAt: timestamptz('revoked_at'),
    lastUsedAt: timestamptz('last_used_at'),
  },
  (t) => [
    check('api_keys_key_hash_check', sql`${t.keyHash} ~ '^[0-9a-f]{64}$'`),
    index('api_keys_customer_created_idx').on(t.customerId, t.createdAt.desc().nullsFirst()),
  ],
);
