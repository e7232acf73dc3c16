import type { PlanName } from '@notifykit/core';
import { newId } from '@notifykit/core';
import { count, desc, eq, sql } from 'drizzle-orm';
import { type ApiKeyHash, type ApiKeyRecord, toApiKeyRecord } from './api-key-record.ts';
import {
  type CustomerRecord,
  type LimitOverride,
  overrideColumns,
  type SendgridKeyMetadata,
  toCustomerRecord,
} from './customer-record.ts';
import type { Database } from './database-client.ts';
import { type PagedRows, type PageRequest, pageOffset } from './pagination.ts';
import { apiKeys } from './schema/api-keys-table.ts';
import { customers } from './schema/customers-table.ts';

/** Fields an operator supplies to create a customer. */
export interface NewCustomer {
  name: string;
  email: string;
  plan: PlanName;
}

/** Operator-editable fields; absent fields are left unchanged. */
export interface CustomerPatch {
  name?: string;
  email?: string;
  plan?: PlanName;
  isActive?: boolean;
  monthlyQuota?: LimitOverride;
  rateLimitPerMinute?: LimitOverride;
}

/** Customer rows. Every method takes the customer's own id; there is no cross-customer write. */
export interface CustomersRepository {
  /** Creates a customer together with its first API key, in one transaction. */
  createWithApiKey(
    input: NewCustomer,
    key: ApiKeyHash,
  ): Promise<{ customer: CustomerRecord; apiKey: ApiKeyRecord }>;
  create(input: NewCustomer): Promise<CustomerRecord>;
  findById(customerId: string): Promise<CustomerRecord | null>;
  /** Operator listing, newest first. */
  list(page: PageRequest): Promise<PagedRows<CustomerRecord>>;
  update(customerId: string, patch: CustomerPatch): Promise<CustomerRecord | null>;
  /** Stores an already encrypted SendGrid key; null when the customer does not exist. */
  setSendgridKey(
    customerId: string,
    key: { ciphertext: string; lastFour: string },
  ): Promise<SendgridKeyMetadata | null>;
  /** Removes the SendGrid key; false when there was none. */
  clearSendgridKey(customerId: string): Promise<boolean>;
  /** The encrypted SendGrid key, for the email worker only. */
  getSendgridKeyCiphertext(customerId: string): Promise<string | null>;
}

function patchColumns(patch: CustomerPatch): Partial<typeof customers.$inferInsert> {
  const set: Partial<typeof customers.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.email !== undefined) set.email = patch.email;
  if (patch.plan !== undefined) set.plan = patch.plan;
  if (patch.isActive !== undefined) set.isActive = patch.isActive;
  if (patch.monthlyQuota !== undefined) {
    const { value, unlimited } = overrideColumns(patch.monthlyQuota);
    set.monthlyQuota = value;
    set.monthlyQuotaUnlimited = unlimited;
  }
  if (patch.rateLimitPerMinute !== undefined) {
    const { value, unlimited } = overrideColumns(patch.rateLimitPerMinute);
    set.rateLimitPerMinute = value;
    set.rateLimitUnlimited = unlimited;
  }
  return set;
}

/** Customer persistence over `db`. */
export function createCustomersRepository(db: Database): CustomersRepository {
  const insertCustomer = async (executor: Pick<Database, 'insert'>, input: NewCustomer) => {
    const [row] = await executor
      .insert(customers)
      .values({ id: newId('cus'), name: input.name, email: input.email, plan: input.plan })
      .returning();
    if (!row) throw new Error('customer insert returned no row');
    return row;
  };

  return {
    async createWithApiKey(input, key) {
      return db.transaction(async (tx) => {
        const customer = await insertCustomer(tx, input);
        const [apiKey] = await tx
          .insert(apiKeys)
          .values({ id: newId('key'), customerId: customer.id, ...key })
          .returning();
        if (!apiKey) throw new Error('api key insert returned no row');
        return { customer: toCustomerRecord(customer), apiKey: toApiKeyRecord(apiKey) };
      });
    },

    async create(input) {
      return toCustomerRecord(await insertCustomer(db, input));
    },

    async findById(customerId) {
      const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
      return row ? toCustomerRecord(row) : null;
    },

    async list(page) {
      const offset = pageOffset(page);
      const [rows, totals] = await Promise.all([
        db
          .select()
          .from(customers)
          .orderBy(desc(customers.createdAt), desc(customers.id))
          .limit(page.limit)
          .offset(offset),
        db.select({ total: count() }).from(customers),
      ]);
      return { rows: rows.map(toCustomerRecord), total: totals[0]?.total ?? 0 };
    },

    async update(customerId, patch) {
      const set = patchColumns(patch);
      const [row] = await db
        .update(customers)
        .set({ ...set, updatedAt: sql`now()` })
        .where(eq(customers.id, customerId))
        .returning();
      return row ? toCustomerRecord(row) : null;
    },

    async setSendgridKey(customerId, key) {
      const [row] = await db
        .update(customers)
        .set({
          sendgridKeyCiphertext: key.ciphertext,
          sendgridKeyLastFour: key.lastFour,
          sendgridKeyUpdatedAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(eq(customers.id, customerId))
        .returning({
          lastFour: customers.sendgridKeyLastFour,
          updatedAt: customers.sendgridKeyUpdatedAt,
        });
      if (!row?.lastFour || !row.updatedAt) return null;
      return { lastFour: row.lastFour, updatedAt: row.updatedAt };
    },

    async clearSendgridKey(customerId) {
      const rows = await db
        .update(customers)
        .set({
          sendgridKeyCiphertext: null,
          sendgridKeyLastFour: null,
          sendgridKeyUpdatedAt: null,
          updatedAt: sql`now()`,
        })
        .where(
          sql`${customers.id} = ${customerId} AND ${customers.sendgridKeyCiphertext} IS NOT NULL`,
        )
        .returning({ id: customers.id });
      return rows.length > 0;
    },

    async getSendgridKeyCiphertext(customerId) {
      const [row] = await db
        .select({ ciphertext: customers.sendgridKeyCiphertext })
        .from(customers)
        .where(eq(customers.id, customerId));
      return row?.ciphertext ?? null;
    },
  };
}
