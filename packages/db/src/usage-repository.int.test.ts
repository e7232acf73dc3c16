import { describe, expect, it } from 'vitest';
import { seedCustomer, useMigratedDatabase } from './test-fixtures.ts';
import { createUsageRepository } from './usage-repository.ts';

describe('usage repository', () => {
  const database = useMigratedDatabase();

  it('reads zeros for a month without sends', async () => {
    const usage = createUsageRepository(database.db);
    const customerId = await seedCustomer(database.db);
    expect(await usage.get(customerId, new Date('2026-03-15T00:00:00Z'))).toEqual({
      period: '2026-03',
      emailCount: 0,
      webhookCount: 0,
    });
  });

  it('counts concurrent increments exactly, per type and per month', async () => {
    const usage = createUsageRepository(database.db);
    const customerId = await seedCustomer(database.db);
    const march = new Date('2026-03-10T12:00:00Z');
    await Promise.all([
      ...Array.from({ length: 40 }, () => usage.increment(customerId, 'email', march)),
      ...Array.from({ length: 25 }, () => usage.increment(customerId, 'webhook', march)),
    ]);
    await usage.increment(customerId, 'email', new Date('2026-04-01T00:00:00Z'));

    expect(await usage.get(customerId, march)).toEqual({
      period: '2026-03',
      emailCount: 40,
      webhookCount: 25,
    });
    expect(await usage.get(customerId, new Date('2026-04-30T23:59:59Z'))).toMatchObject({
      emailCount: 1,
      webhookCount: 0,
    });
  });

  it('keeps customers apart', async () => {
    const usage = createUsageRepository(database.db);
    const a = await seedCustomer(database.db);
    const b = await seedCustomer(database.db);
    const at = new Date('2026-05-05T00:00:00Z');
    await usage.increment(a, 'webhook', at);
    expect((await usage.get(b, at)).webhookCount).toBe(0);
    expect((await usage.increment(a, 'webhook', at)).webhookCount).toBe(2);
  });
});
