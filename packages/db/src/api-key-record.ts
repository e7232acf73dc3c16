import type { apiKeys } from './schema/api-keys-table.ts';

/** An API key without its hash. */
export interface ApiKeyRecord {
  id: string;
  customerId: string;
  lastFour: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** The hash and display suffix of a new key; the plaintext never reaches this package. */
export interface ApiKeyHash {
  /** SHA-256 of the plaintext key, lowercase hex. */
  keyHash: string;
  lastFour: string;
}

/** Maps an `api_keys` row to an {@link ApiKeyRecord}, dropping the hash. */
export function toApiKeyRecord(row: typeof apiKeys.$inferSelect): ApiKeyRecord {
  return {
    id: row.id,
    customerId: row.customerId,
    lastFour: row.lastFour,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}
