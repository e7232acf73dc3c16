import { describe, expect, it } from 'vitest';
import { createApiKeysRepository } from './api-keys-repository.ts';
import { createCustomersRepository } from './customers-repository.ts';
import { randomKeyHash, useMigratedDatabase } from './test-fixtures.ts';

describe('customers repository', () => {
  const database = useMigratedDatabase();

  it('creates a customer with plan defaults and no secrets', async () => {
    const repo = createCustomersRepository(database.db);
    const customer = await repo.create({ name: 'Acme', email: 'ops@acme.test', plan: 'indie' });
    expect(customer).toMatchObject({
      name: 'Acme',
      email: 'ops@acme.test',
      plan: 'indie',
      isActive: true,
      monthlyQuota: null,
      rateLimitPerMinute: null,
      sendgridKey: null,
    });
    expect(customer.id).toMatch(/^cus_/);
    expect(await repo.findById(customer.id)).toEqual(customer);
    expect(await repo.findById('cus_missing')).toBeNull();
  });

  it('creates a customer and its first key atomically', async () => {
    const repo = createCustomersRepository(database.db);
    const key = randomKeyHash();
    const { customer, apiKey } = await repo.createWithApiKey(
      { name: 'Beta', email: 'b@beta.test', plan: 'free' },
      key,
    );
    expect(apiKey).toMatchObject({
      customerId: customer.id,
      lastFour: key.lastFour,
      revokedAt: null,
    });
    const found = await createApiKeysRepository(database.db).findActiveByHash(key.keyHash);
    expect(found?.customer.id).toBe(customer.id);

    // A duplicate hash fails the whole transaction: no orphan customer is left behind.
    const before = (await repo.list({ page: 1, limit: 100 })).total;
    await expect(
      repo.createWithApiKey({ name: 'Dup', email: 'd@dup.test', plan: 'free' }, key),
    ).rejects.toThrow();
    expect((await repo.list({ page: 1, limit: 100 })).total).toBe(before);
  });

  it('stores limit overrides as plan default, explicit number or unlimited', async () => {
    const repo = createCustomersRepository(database.db);
    const { id } = await repo.create({ name: 'C', email: 'c@c.test', plan: 'startup' });
    expect(
      await repo.update(id, {
        monthlyQuota: 50_000,
        rateLimitPerMinute: 'unlimited',
        isActive: false,
      }),
    ).toMatchObject({ monthlyQuota: 50_000, rateLimitPerMinute: 'unlimited', isActive: false });
    expect(await repo.update(id, { monthlyQuota: 'unlimited' })).toMatchObject({
      monthlyQuota: 'unlimited',
      rateLimitPerMinute: 'unlimited',
    });
    const reset = await repo.update(id, {
      monthlyQuota: null,
      rateLimitPerMinute: 0,
      plan: 'enterprise',
    });
    expect(reset).toMatchObject({ monthlyQuota: null, rateLimitPerMinute: 0, plan: 'enterprise' });
    expect(reset && reset.updatedAt >= reset.createdAt).toBe(true);
    await expect(repo.update(id, { monthlyQuota: -1 })).rejects.toThrow();
    expect(await repo.update('cus_missing', { name: 'x' })).toBeNull();
  });

  it('keeps the SendGrid key ciphertext out of customer records', async () => {
    const repo = createCustomersRepository(database.db);
    const { id } = await repo.create({ name: 'D', email: 'd@d.test', plan: 'indie' });
    const stored = await repo.setSendgridKey(id, {
      ciphertext: 'v1:iv:tag:data',
      lastFour: 'WXYZ',
    });
    expect(stored).toMatchObject({ lastFour: 'WXYZ' });
    const customer = await repo.findById(id);
    expect(customer?.sendgridKey).toEqual(stored);
    expect(JSON.stringify(customer)).not.toContain('v1:iv:tag:data');
    expect(await repo.getSendgridKeyCiphertext(id)).toBe('v1:iv:tag:data');

    expect(await repo.clearSendgridKey(id)).toBe(true);
    expect(await repo.clearSendgridKey(id)).toBe(false);
    expect((await repo.findById(id))?.sendgridKey).toBeNull();
    expect(await repo.getSendgridKeyCiphertext(id)).toBeNull();
    expect(
      await repo.setSendgridKey('cus_missing', { ciphertext: 'x', lastFour: 'abcd' }),
    ).toBeNull();
  });

  it('lists customers newest first with a total', async () => {
    const repo = createCustomersRepository(database.db);
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push(await repo.create({ name: `L${i}`, email: `l${i}@l.test`, plan: 'free' }));
    }
    const { rows, total } = await repo.list({ page: 1, limit: 2 });
    expect(total).toBeGreaterThanOrEqual(3);
    expect(rows).toHaveLength(2);
    const [newer, older] = rows;
    expect(newer && older && newer.createdAt >= older.createdAt).toBe(true);
  });
});
