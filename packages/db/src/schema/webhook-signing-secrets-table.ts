import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from './column-types.ts';
import { customers } from './customers-table.ts';

/**
 * Webhook signing secrets. The current secret has `expires_at` NULL; a rotated-away secret
 * keeps signing until its `expires_at`. The id is internal (never shown to customers), so a
 * plain identity column is enough.
 */
export const webhookSigningSecrets = pgTable(
  'webhook_signing_secrets',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    // AES-256-GCM ciphertext produced by the API.
    secretCiphertext: text('secret_ciphertext').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at'),
  },
  (t) => [
    // At most one current secret per customer.
    uniqueIndex('webhook_signing_secrets_current_unique')
      .on(t.customerId)
      .where(sql`${t.expiresAt} IS NULL`),
    index('webhook_signing_secrets_customer_idx').on(t.customerId, t.createdAt.desc().nullsFirst()),
  ],
);
