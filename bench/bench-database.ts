// A throwaway, migrated database with a realistic job history, for benchmarks only.
import { randomBytes } from 'node:crypto';
import {
  createDatabase,
  type DatabaseConnection,
  migrateDatabase,
} from '../packages/db/src/index.ts';

/** A database created for one benchmark run. */
export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database (closing any connection left open); safe to call twice. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const server = createDatabase(serverUrl, { max: 1 });
  try {
    await server.pool.query(statement);
  } finally {
    await server.close();
  }
}

/** Creates `nk_bench_<time>_<random>` next to `serverUrl`'s database and migrates it. */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  // Lowercase letters, digits and underscores only, so the name needs no quoting.
  const name = `nk_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    dropped = true;
  };
  try {
    await migrateDatabase(url.toString());
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { name, url: url.toString(), drop };
}

/** Share of each status in seeded history; roughly a healthy production mix. */
const STATUS_MIX = { completed: 0.85, failed: 0.08, pending: 0.05 } as const; // rest: processing
const EMAIL_SHARE = 0.7;
const HISTORY_DAYS = 30;

/**
 * Inserts `count` jobs for one customer in a single INSERT ... SELECT generate_series: 70 %
 * email, the status mix above, creation times spread over the last 30 days with jitter, and
 * payloads of realistic size (they are never read by the list, but they set the row width).
 */
export async function seedJobs(
  database: DatabaseConnection,
  customerId: string,
  count: number,
  seed: number,
): Promise<void> {
  const client = await database.pool.connect();
  try {
    // random() is reproducible per connection after setseed.
    await client.query('SELECT setseed($1)', [seed]);
    await client.query(
      `WITH g AS (
         SELECT i,
                random() AS r,
                now() - make_interval(secs => ($2::int - i) * ($3::float8 / $2::int) + random() * 20)
                  AS created_at,
                CASE WHEN random() < $4 THEN 'email' ELSE 'webhook' END::job_type AS type
         FROM generate_series(1, $2::int) AS i
       ), s AS (
         SELECT g.*,
                CASE WHEN r < $5 THEN 'completed'
                     WHEN r < $5 + $6 THEN 'failed'
                     WHEN r < $5 + $6 + $7 THEN 'pending'
                     ELSE 'processing' END::job_status AS status
         FROM g
       )
       INSERT INTO jobs (id, customer_id, type, status, priority, payload, attempts,
                         max_attempts, attempt_sequence, error_message, created_at, updated_at,
                         started_at, completed_at, next_attempt_at)
       SELECT 'job_' || lpad(to_hex((extract(epoch FROM created_at) * 1000)::bigint), 12, '0')
                || substr(md5($1 || ':' || i), 1, 18),
              $1,
              type,
              status,
              (ARRAY[5, 5, 5, 1, 10])[1 + (i % 5)],
              CASE WHEN type = 'email' THEN jsonb_build_object(
                     'to', 'user' || i || '@example.com', 'subject', 'Your receipt #' || i,
                     'body', repeat('<p>Thank you for your order.</p>', 12), 'from', NULL)
                   ELSE jsonb_build_object(
                     'url', 'https://hooks.example.com/orders', 'method', 'POST',
                     'headers', jsonb_build_object('X-Source', 'shop'),
                     'payload', jsonb_build_object('event', 'order.paid', 'orderId', i)) END,
              CASE status WHEN 'failed' THEN 3 WHEN 'pending' THEN 0 ELSE 1 END,
              3,
              CASE status WHEN 'failed' THEN 3 WHEN 'pending' THEN 0 ELSE 1 END,
              CASE status WHEN 'failed' THEN 'Webhook endpoint answered 500' END,
              created_at,
              created_at + interval '2 seconds',
              CASE WHEN status <> 'pending' THEN created_at + interval '1 second' END,
              CASE WHEN status = 'completed' THEN created_at + interval '2 seconds' END,
              NULL
       FROM s`,
      [
        customerId,
        count,
        HISTORY_DAYS * 24 * 3600,
        EMAIL_SHARE,
        STATUS_MIX.completed,
        STATUS_MIX.failed,
        STATUS_MIX.pending,
      ],
    );
  } finally {
    client.release();
  }
}
