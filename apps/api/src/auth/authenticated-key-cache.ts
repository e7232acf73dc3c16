import type { AuthenticatedKey } from '@notifykit/db';

/**
 * Short-lived in-process cache of key lookups, keyed by key hash. The TTL bounds how long a
 * revoke or deactivation made through another API replica can go unnoticed (CONTRACT asks for
 * at most 10 s); revokes made through this replica evict at once.
 */
export interface AuthenticatedKeyCache {
  get(keyHash: string, nowMs?: number): AuthenticatedKey | undefined;
  set(keyHash: string, value: AuthenticatedKey, nowMs?: number): void;
  /** Drops every entry of one customer (plan change, deactivation, key revoke). */
  evictCustomer(customerId: string): void;
}

export function createAuthenticatedKeyCache(
  options: { ttlMs: number; maxEntries?: number } = { ttlMs: 5_000 },
): AuthenticatedKeyCache {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { value: AuthenticatedKey; expiresAt: number }>();
  return {
    get(keyHash, nowMs = Date.now()) {
      const entry = entries.get(keyHash);
      if (!entry) return undefined;
      if (entry.expiresAt <= nowMs) {
        entries.delete(keyHash);
        return undefined;
      }
      return entry.value;
    },
    set(keyHash, value, nowMs = Date.now()) {
      // Map keeps insertion order, so the first key is the oldest: a cheap bound on memory.
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(keyHash, { value, expiresAt: nowMs + options.ttlMs });
    },
    evictCustomer(customerId) {
      for (const [hash, entry] of entries) {
        if (entry.value.customer.id === customerId) entries.delete(hash);
      }
    },
  };
}
