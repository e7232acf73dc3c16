import type { DatabaseConnection } from '@notifykit/db';
import { Gauge, type Registry } from 'prom-client';

/**
 * The Postgres pool as seen at scrape time. `waiting` above zero for long means requests queue
 * for a connection: raise DATABASE_POOL_MAX or look for slow queries.
 */
export function registerDatabasePoolMetrics(
  registry: Registry,
  pool: DatabaseConnection['pool'],
  maxClients: number,
): void {
  new Gauge({
    name: 'notifykit_db_pool_clients',
    help: 'Postgres pool clients by state (total = idle + in use)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
    },
  });
  new Gauge({
    name: 'notifykit_db_pool_waiting_requests',
    help: 'Queries waiting for a free Postgres pool client',
    registers: [registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
  const max = new Gauge({
    name: 'notifykit_db_pool_max_clients',
    help: 'Configured maximum size of the Postgres pool (DATABASE_POOL_MAX)',
    registers: [registry],
  });
  max.set(maxClients);
}
