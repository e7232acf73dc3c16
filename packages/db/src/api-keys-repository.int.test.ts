import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApiKeysRepository } from './api-keys-repository.ts';
import { randomKeyHash, seedCustomer, useMigratedDatabase } from './test-fixtures.ts';

describe('api keys repository', () => {
  const database = useMigratedDatabase();

  it('finds an active key and its customer by hash', async () => {
    const repo = createApiKeysRepository(database.db);
    const customerId = await seedCustomer(database.db, 'startup');
    const key = randomKeyHash();
    const created = await repo.create(customerId, key);
    expect(created.id).toMatch(/^key_/);
    expect(Object.keys(created)).not.toContain('keyHash');

    const found = await repo.findActiveByHash(key.keyHash);
    expect(found?.apiKey).toEqual(created);
    expect(found?.customer).toMatchObject({ id: customerId, plan: 'startup', isActive: true });
    expect(await repo.findActiveByHash(randomKeyHash().keyHash)).toBeNull();
  });

  it('still finds keys of inactive customers so the API can answer 403', async () => {
    const repo = createApiKeysRepository(database.db);
    const customerId = await seedCustomer(database.db);
    const key = randomKeyHash();
    await repo.create(customerId, key);
    await database.db.execute(sql`UPDATE customers SET is_active = false WHERE id = ${customerId}`);
    expect((await repo.findActiveByHash(key.keyHash))?.customer.isActive).toBe(false);
  });

  it('revokes only the owning customer’s key, idempotently', async () => {
    const repo = createApiKeysRepository(database.db);
    const owner = await seedCustomer(database.db);
    const stranger = await seedCustomer(database.db);
    const key = randomKeyHash();
    const { id } = await repo.create(owner, key);

    expect(await repo.revoke(stranger, id)).toBeNull();
    expect(await repo.findActiveByHash(key.keyHash)).not.toBeNull();

    const revoked = await repo.revoke(owner, id);
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(await repo.findActiveByHash(key.keyHash)).toBeNull();
    expect((await repo.revoke(owner, id))?.revokedAt).toEqual(revoked?.revokedAt);
  });

  it('lists only the customer’s own keys, newest first, revoked included', async () => {
    const repo = createApiKeysRepository(database.db);
    const owner = await seedCustomer(database.db);
    const other = await seedCustomer(database.db);
    const first = await repo.create(owner, randomKeyHash());
    const second = await repo.create(owner, randomKeyHash());
    await repo.create(other, randomKeyHash());
    await repo.revoke(owner, first.id);

    const listed = await repo.listForCustomer(owner);
    expect(listed.map((key) => key.id)).toEqual([second.id, first.id]);
    expect(listed[1]?.revokedAt).toBeInstanceOf(Date);
  });

  it('records use at most once a minute', async () => {
    const repo = createApiKeysRepository(database.db);
    const customerId = await seedCustomer(database.db);
    const key = randomKeyHash();
    const { id } = await repo.create(customerId, key);
    await repo.markUsed(customerId, id);
    const firstUse = (await repo.findActiveByHash(key.keyHash))?.apiKey.lastUsedAt;
    expect(firstUse).toBeInstanceOf(Date);
    await repo.markUsed(customerId, id);
    expect((await repo.findActiveByHash(key.keyHash))?.apiKey.lastUsedAt).toEqual(firstUse);
  });
});
