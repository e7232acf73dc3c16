import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

/** The drizzle database over the NotifyKit schema. */
export type Database = NodePgDatabase<typeof schema>;

/** A transaction handle as passed to `db.transaction(async (tx) => ...)`. */
export type DatabaseTransaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Anything a statement can run on: the pooled database or an open transaction. */
export type DatabaseExecutor = Database | DatabaseTransaction;

/** Pool settings; everything except the connection string, which is passed separately. */
export type DatabasePoolOptions = Omit<pg.PoolConfig, 'connectionString'> & {
  /** Called when an idle pooled connection fails (for example, Postgres restarted). */
  onPoolError?: (error: Error) => void;
};

/** A database handle plus the pool behind it. */
export interface DatabaseConnection {
  db: Database;
  pool: pg.Pool;
  /** Ends the pool; in-flight queries finish first. */
  close(): Promise<void>;
}

/** Opens a pg pool and a drizzle database on it. */
export function createDatabase(
  connectionString: string,
  poolOptions: DatabasePoolOptions = {},
): DatabaseConnection {
  const { onPoolError, ...config } = poolOptions;
  const pool = new pg.Pool({
    // pg waits forever for a connection by default; a down Postgres must surface as an error
    // quickly so the API can answer 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
    ...config,
    connectionString,
  });
  // An idle client's error is emitted on the pool; unhandled it would crash the process, and
  // the next query reports the outage anyway.
  pool.on('error', (error) => onPoolError?.(error));
  const db = drizzle({ client: pool, schema });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    close: () => {
      closing ??= pool.end();
      return closing;
    },
  };
}
