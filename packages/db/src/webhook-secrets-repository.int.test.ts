import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedCustomer, useMigratedDatabase } from './test-fixtures.ts';
import {
  createWebhookSecretsRepository,
  SECRET_ROTATION_OVERLAP_MS,
} from './webhook-secrets-repository.ts';

describe('webhook secrets repository', () => {
  const database = useMigratedDatabase();

  it('has no current secret until the first rotation', async () => {
    const repo = createWebhookSecretsRepository(database.db);
    const customerId = await seedCustomer(database.db);
    expect(await repo.getCurrent(customerId)).toBeNull();
    expect(await repo.listActive(customerId)).toEqual([]);
    expect(await repo.rotate('cus_missing', 'ct')).toBeNull();
  });

  it('keeps the previous secret signing for 24 hours after a rotation', async () => {
    const repo = createWebhookSecretsRepository(database.db);
    const customerId = await seedCustomer(database.db);
    const first = await repo.rotate(customerId, 'ciphertext-1');
    const second = await repo.rotate(customerId, 'ciphertext-2');
    expect(await repo.getCurrent(customerId)).toEqual(second);

    const active = await repo.listActive(customerId);
    expect(active.map((secret) => secret.secretCiphertext)).toEqual([
      'ciphertext-2',
      'ciphertext-1',
    ]);
    expect(active[0]?.expiresAt).toBeNull();
    const expiry = active[1]?.expiresAt?.getTime() ?? 0;
    expect(expiry - (second?.createdAt.getTime() ?? 0)).toBe(SECRET_ROTATION_OVERLAP_MS);
    expect(first?.id).toBe(active[1]?.id);
  });

  it('stops listing a secret once its overlap has expired', async () => {
    const repo = createWebhookSecretsRepository(database.db);
    const customerId = await seedCustomer(database.db);
    await repo.rotate(customerId, 'old');
    await repo.rotate(customerId, 'new');
    await database.db.execute(
      sql`UPDATE webhook_signing_secrets SET expires_at = now() - interval '1 second'
          WHERE customer_id = ${customerId} AND expires_at IS NOT NULL`,
    );
    const active = await repo.listActive(customerId);
    expect(active.map((secret) => secret.secretCiphertext)).toEqual(['new']);
  });

  it('keeps customers apart', async () => {
    const repo = createWebhookSecretsRepository(database.db);
    const a = await seedCustomer(database.db);
    const b = await seedCustomer(database.db);
    await repo.rotate(a, 'a-secret');
    expect(await repo.listActive(b)).toEqual([]);
    expect(await repo.getCurrent(b)).toBeNull();
  });

  it('serialises concurrent rotations so exactly one secret is current', async () => {
    const repo = createWebhookSecretsRepository(database.db);
    const customerId = await seedCustomer(database.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => repo.rotate(customerId, `concurrent-${i}`)),
    );
    expect(results.every((result) => result !== null)).toBe(true);
    const active = await repo.listActive(customerId);
    expect(active).toHaveLength(8);
    expect(active.filter((secret) => secret.expiresAt === null)).toHaveLength(1);
  });
});
