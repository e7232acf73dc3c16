import { newId } from '@notifykit/core';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { type ApiKeyHash, type ApiKeyRecord, toApiKeyRecord } from './api-key-record.ts';
import { type CustomerRecord, toCustomerRecord } from './customer-record.ts';
import type { Database } from './database-client.ts';
import { apiKeys } from './schema/api-keys-table.ts';
import { customers } from './schema/customers-table.ts';

/** An active key and the customer it authenticates. */
export interface AuthenticatedKey {
  apiKey: ApiKeyRecord;
  customer: CustomerRecord;
}

/** API keys. Writes and listings are scoped by customer id. */
export interface ApiKeysRepository {
  create(customerId: string, key: ApiKeyHash): Promise<ApiKeyRecord>;
  /**
   * The unrevoked key with this hash and its customer, in one join. Not customer-scoped by
   * nature: this lookup is what establishes the customer. Inactive customers are returned too,
   * so the caller can answer 403 rather than 401.
   */
  findActiveByHash(keyHash: string): Promise<AuthenticatedKey | null>;
  /** Revokes one of the customer's keys; idempotent; null when it is not that customer's key. */
  revoke(customerId: string, keyId: string): Promise<ApiKeyRecord | null>;
  /** All of a customer's keys, revoked ones included, newest first. */
  listForCustomer(customerId: string): Promise<ApiKeyRecord[]>;
  /** Records use, at most about once a minute per key so busy keys do not write every request. */
  markUsed(customerId: string, keyId: string): Promise<void>;
}

/** API key persistence over `db`. */
export function createApiKeysRepository(db: Database): ApiKeysRepository {
  return {
    async create(customerId, key) {
      const [row] = await db
        .insert(apiKeys)
        .values({ id: newId('key'), customerId, keyHash: key.keyHash, lastFour: key.lastFour })
        .returning();
      if (!row) throw new Error('api key insert returned no row');
      return toApiKeyRecord(row);
    },

    async findActiveByHash(keyHash) {
      const [row] = await db
        .select({ apiKey: apiKeys, customer: customers })
        .from(apiKeys)
        .innerJoin(customers, eq(customers.id, apiKeys.customerId))
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
      if (!row) return null;
      return { apiKey: toApiKeyRecord(row.apiKey), customer: toCustomerRecord(row.customer) };
    },

    async revoke(customerId, keyId) {
      const [row] = await db
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
        .where(and(eq(apiKeys.id, keyId), eq(apiKeys.customerId, customerId)))
        .returning();
      return row ? toApiKeyRecord(row) : null;
    },

    async listForCustomer(customerId) {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.customerId, customerId))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
      return rows.map(toApiKeyRecord);
    },

    async markUsed(customerId, keyId) {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(
          and(
            eq(apiKeys.id, keyId),
            eq(apiKeys.customerId, customerId),
            or(
              isNull(apiKeys.lastUsedAt),
              lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`),
            ),
          ),
        );
    },
  };
}
