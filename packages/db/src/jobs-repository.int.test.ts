import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createJobLifecycleRepository } from './job-lifecycle-repository.ts';
import { createJobsRepository, type NewJob } from './jobs-repository.ts';
import * as schema from './schema/index.ts';
import { jobs } from './schema/jobs-table.ts';
import { seedCustomer, useMigratedDatabase } from './test-fixtures.ts';
import { createUsageRepository } from './usage-repository.ts';

const emailJob = (customerId: string, extra: Partial<NewJob> = {}): NewJob => ({
  customerId,
  type: 'email',
  payload: { to: 'a@example.test', subject: 'Hi', body: '<p>Hi</p>', from: null },
  ...extra,
});

const webhookJob = (customerId: string, extra: Partial<NewJob> = {}): NewJob => ({
  customerId,
  type: 'webhook',
  payload: { url: 'https://example.test/hook', method: 'POST', headers: {}, payload: { a: 1 } },
  ...extra,
});

describe('jobs repository', () => {
  const database = useMigratedDatabase();

  /** Drives a job to `failed` through the worker-side path. */
  async function failJob(jobId: string): Promise<void> {
    const lifecycle = createJobLifecycleRepository(database.db);
    const claimed = await lifecycle.claimJob(jobId);
    if (!claimed) throw new Error('claim failed');
    await lifecycle.recordAttemptOutcome({
      jobId,
      attemptSequence: claimed.attemptSequence,
      attempt: { durationMs: 12, statusCode: 400 },
      outcome: { kind: 'failed', errorMessage: 'HTTP 400' },
    });
  }

  async function setCreatedAt(jobId: string, iso: string): Promise<void> {
    await database.db.execute(
      sql`UPDATE ${jobs} SET created_at = ${iso}::timestamptz WHERE id = ${jobId}`,
    );
  }

  describe('insert', () => {
    it('stores a pending job with defaults', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const result = await repo.insert(emailJob(customerId));
      expect(result.created).toBe(true);
      expect(result.job).toMatchObject({
        customerId,
        type: 'email',
        status: 'pending',
        priority: 5,
        attempts: 0,
        maxAttempts: 3,
        attemptSequence: 0,
        errorMessage: null,
        idempotencyKey: null,
        startedAt: null,
        completedAt: null,
        nextAttemptAt: null,
      });
      expect(result.job.id).toMatch(/^job_/);
      expect(result.job.createdAt).toBeInstanceOf(Date);
    });

    it('keeps the payload as written, object key order included (CONTRACT §6 body)', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      // jsonb would return these keys shortest first ({"id":…,"event":…,"zebra":…}).
      const payload = { zebra: { y: 1, x: [2, 1] }, event: 'order.paid', id: 'é "q"' };
      const { job } = await repo.insert(
        webhookJob(customerId, { payload: { ...webhookJob(customerId).payload, payload } }),
      );
      const found = await repo.findForCustomer(customerId, job.id);
      const stored = found?.job.payload as { payload: unknown };
      expect(JSON.stringify(stored.payload)).toBe(JSON.stringify(payload));
      expect(JSON.stringify((job.payload as { payload: unknown }).payload)).toBe(
        JSON.stringify(payload),
      );
    });

    it('creates exactly one job for 20 concurrent requests with one key', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const idempotency = { key: 'order-42', fingerprint: 'fp-1' };
      const results = await Promise.all(
        Array.from({ length: 20 }, () => repo.insert(webhookJob(customerId, { idempotency }))),
      );

      const created = results.filter((result) => result.created);
      expect(created).toHaveLength(1);
      const winner = created[0]?.job.id;
      for (const result of results) {
        expect(result.job.id).toBe(winner);
        if (!result.created) expect(result.fingerprintMatches).toBe(true);
      }
      const stored = await database.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM jobs WHERE customer_id = ${customerId}`,
      );
      expect(stored.rows[0]?.n).toBe(1);
    });

    it('flags a reused key with a different fingerprint, scoped to the customer', async () => {
      const repo = createJobsRepository(database.db);
      const a = await seedCustomer(database.db);
      const b = await seedCustomer(database.db);
      const first = await repo.insert(emailJob(a, { idempotency: { key: 'k', fingerprint: 'x' } }));
      const clash = await repo.insert(emailJob(a, { idempotency: { key: 'k', fingerprint: 'y' } }));
      expect(clash).toEqual({ created: false, job: first.job, fingerprintMatches: false });

      const otherCustomer = await repo.insert(
        emailJob(b, { idempotency: { key: 'k', fingerprint: 'y' } }),
      );
      expect(otherCustomer.created).toBe(true);
      expect(otherCustomer.job.id).not.toBe(first.job.id);
    });

    it('charges usage only for jobs it really creates', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const idempotency = { key: 'charge-once', fingerprint: 'fp' };
      await Promise.all(
        Array.from({ length: 10 }, () =>
          repo.insert(webhookJob(customerId, { idempotency, countUsage: true })),
        ),
      );
      await repo.insert(emailJob(customerId, { countUsage: true }));
      await repo.insert(emailJob(customerId));
      const usage = await createUsageRepository(database.db).get(customerId);
      expect(usage).toMatchObject({ emailCount: 1, webhookCount: 1 });
    });

    it('rejects priorities outside 1/5/10', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      await expect(
        repo.insert(emailJob(customerId, { priority: 3 as unknown as 5 })),
      ).rejects.toThrow();
    });
  });

  describe('findForCustomer', () => {
    it('returns the job with its delivery attempts, oldest first', async () => {
      const repo = createJobsRepository(database.db);
      const lifecycle = createJobLifecycleRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const { job } = await repo.insert(webhookJob(customerId));
      for (let i = 0; i < 2; i++) {
        const claimed = await lifecycle.claimJob(job.id);
        if (!claimed) throw new Error('claim failed');
        await lifecycle.recordAttemptOutcome({
          jobId: job.id,
          attemptSequence: claimed.attemptSequence,
          attempt: { durationMs: 5, statusCode: 503 },
          outcome: { kind: 'retry', nextAttemptAt: new Date(), errorMessage: `HTTP 503 #${i}` },
        });
      }
      const found = await repo.findForCustomer(customerId, job.id);
      expect(found?.job).toMatchObject({ id: job.id, attempts: 2, status: 'pending' });
      expect(found?.deliveryAttempts.map((attempt) => attempt.attemptNumber)).toEqual([1, 2]);
      expect(found?.deliveryAttempts.map((attempt) => attempt.errorMessage)).toEqual([
        'HTTP 503 #0',
        'HTTP 503 #1',
      ]);
    });

    it("never returns another customer's job", async () => {
      const repo = createJobsRepository(database.db);
      const owner = await seedCustomer(database.db);
      const stranger = await seedCustomer(database.db);
      const { job } = await repo.insert(emailJob(owner));
      expect(await repo.findForCustomer(stranger, job.id)).toBeNull();
      expect(await repo.findForCustomer(owner, 'job_doesnotexist')).toBeNull();
    });
  });

  describe('findByIdempotencyKey', () => {
    it("finds the customer's job by key, never another customer's", async () => {
      const repo = createJobsRepository(database.db);
      const a = await seedCustomer(database.db);
      const b = await seedCustomer(database.db);
      const idempotency = { key: 'order-7', fingerprint: 'fp' };
      const { job } = await repo.insert(emailJob(a, { idempotency }));
      expect(await repo.findByIdempotencyKey(a, 'order-7')).toEqual(job);
      expect(await repo.findByIdempotencyKey(a, 'order-8')).toBeNull();
      expect(await repo.findByIdempotencyKey(b, 'order-7')).toBeNull();
    });
  });

  describe('listForCustomer', () => {
    it('orders newest first with id breaking ties between equal timestamps', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const inserted = [];
      for (let i = 0; i < 6; i++) inserted.push((await repo.insert(emailJob(customerId))).job.id);
      const [a, b, c, d, e, f] = inserted as [string, string, string, string, string, string];
      await setCreatedAt(a, '2026-01-01T00:00:00.000Z');
      await setCreatedAt(b, '2026-01-02T00:00:00.000Z');
      await setCreatedAt(c, '2026-01-02T00:00:00.000Z');
      await setCreatedAt(d, '2026-01-02T00:00:00.000Z');
      await setCreatedAt(e, '2026-01-03T00:00:00.000Z');
      await setCreatedAt(f, '2025-12-31T23:59:59.999Z');

      const { rows, total } = await repo.listForCustomer(customerId, { page: 1, limit: 100 });
      expect(total).toBe(6);
      const tied = [b, c, d].sort().reverse();
      expect(rows.map((row) => row.id)).toEqual([e, ...tied, a, f]);

      // Paging through the tie with limit 2 neither skips nor repeats a row.
      const paged: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const result = await repo.listForCustomer(customerId, { page, limit: 2 });
        paged.push(...result.rows.map((row) => row.id));
      }
      expect(paged).toEqual(rows.map((row) => row.id));
    });

    it('returns summaries only, with total across pages and an empty page past the end', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      for (let i = 0; i < 5; i++) await repo.insert(emailJob(customerId));

      const first = await repo.listForCustomer(customerId, { page: 1, limit: 2 });
      expect(first.total).toBe(5);
      expect(first.rows).toHaveLength(2);
      expect(Object.keys(first.rows[0] ?? {}).sort()).toEqual([
        'attempts',
        'completedAt',
        'createdAt',
        'errorMessage',
        'id',
        'priority',
        'status',
        'type',
      ]);
      expect((await repo.listForCustomer(customerId, { page: 3, limit: 2 })).rows).toHaveLength(1);
      const past = await repo.listForCustomer(customerId, { page: 4, limit: 2 });
      expect(past).toEqual({ rows: [], total: 5 });
      await expect(repo.listForCustomer(customerId, { page: 0, limit: 2 })).rejects.toThrow(
        RangeError,
      );
    });

    it('filters by type, status and both, counting only matches', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const failedEmail = (await repo.insert(emailJob(customerId))).job.id;
      await repo.insert(emailJob(customerId));
      const failedWebhook = (await repo.insert(webhookJob(customerId))).job.id;
      await repo.insert(webhookJob(customerId));
      await repo.insert(webhookJob(customerId));
      await failJob(failedEmail);
      await failJob(failedWebhook);

      const count = async (filters: {
        type?: 'email' | 'webhook';
        status?: 'failed' | 'pending';
      }) => (await repo.listForCustomer(customerId, { page: 1, limit: 20, ...filters })).total;
      expect(await count({ type: 'email' })).toBe(2);
      expect(await count({ type: 'webhook' })).toBe(3);
      expect(await count({ status: 'failed' })).toBe(2);
      expect(await count({ status: 'pending' })).toBe(3);
      expect(await count({ type: 'webhook', status: 'pending' })).toBe(2);
      const both = await repo.listForCustomer(customerId, {
        page: 1,
        limit: 20,
        type: 'webhook',
        status: 'failed',
      });
      expect(both.rows.map((row) => row.id)).toEqual([failedWebhook]);
    });

    it("never includes another customer's jobs", async () => {
      const repo = createJobsRepository(database.db);
      const a = await seedCustomer(database.db);
      const b = await seedCustomer(database.db);
      await repo.insert(emailJob(a));
      await repo.insert(emailJob(a));
      const own = (await repo.insert(emailJob(b))).job.id;
      const listed = await repo.listForCustomer(b, { page: 1, limit: 100 });
      expect(listed).toMatchObject({ total: 1, rows: [{ id: own }] });
    });

    it('runs both of its queries on an index in list order, without a sort', async () => {
      // Capture the SQL the repository really sends, then EXPLAIN it with scans that would
      // hide a missing index switched off.
      const captured: Array<{ query: string; params: unknown[] }> = [];
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      try {
        const db = drizzle({
          client: pool,
          schema,
          logger: { logQuery: (query, params) => captured.push({ query, params }) },
        });
        const repo = createJobsRepository(db);
        const customerId = await seedCustomer(database.db);
        await repo.insert(emailJob(customerId));
        const filters = [
          {},
          { status: 'failed' },
          { type: 'email' },
          { type: 'email', status: 'failed' },
        ] as const;
        for (const filter of filters) {
          captured.length = 0;
          await repo.listForCustomer(customerId, { page: 2, limit: 20, ...filter });
          expect(captured).toHaveLength(2);
          for (const { query, params } of captured) {
            const client = await pool.connect();
            try {
              await client.query('SET enable_seqscan = off');
              await client.query('SET enable_bitmapscan = off');
              const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`, params);
              const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
              expect(text).toMatch(/Index (Only )?Scan using jobs_customer_/);
              expect(text).not.toMatch(/Sort/);
            } finally {
              client.release(true);
            }
          }
        }
      } finally {
        await pool.end();
      }
    });
  });

  describe('retryFailed', () => {
    it('re-queues a failed job with a fresh budget and keeps the attempt sequence', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const { job } = await repo.insert(webhookJob(customerId));
      await failJob(job.id);

      const retried = await repo.retryFailed(customerId, job.id);
      expect(retried).toMatchObject({
        status: 'pending',
        attempts: 0,
        attemptSequence: 1,
        errorMessage: null,
        nextAttemptAt: null,
        completedAt: null,
      });
    });

    it('refuses jobs that are not failed and jobs of other customers', async () => {
      const repo = createJobsRepository(database.db);
      const owner = await seedCustomer(database.db);
      const stranger = await seedCustomer(database.db);
      const pending = (await repo.insert(emailJob(owner))).job.id;
      const failed = (await repo.insert(emailJob(owner))).job.id;
      await failJob(failed);

      expect(await repo.retryFailed(owner, pending)).toBeNull();
      expect(await repo.retryFailed(stranger, failed)).toBeNull();
      const untouched = await repo.findForCustomer(owner, failed);
      expect(untouched?.job.status).toBe('failed');
    });

    it('lets exactly one of many concurrent retries win', async () => {
      const repo = createJobsRepository(database.db);
      const customerId = await seedCustomer(database.db);
      const { job } = await repo.insert(emailJob(customerId));
      await failJob(job.id);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => repo.retryFailed(customerId, job.id)),
      );
      expect(results.filter((row) => row !== null)).toHaveLength(1);
    });
  });
});
