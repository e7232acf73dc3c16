import { and, asc, eq } from 'drizzle-orm';
import type { Database, DatabaseExecutor } from './database-client.ts';
import { deliveryAttempts } from './schema/delivery-attempts-table.ts';

/** A stored delivery attempt. */
export type DeliveryAttemptRow = typeof deliveryAttempts.$inferSelect;

/** A job's delivery attempts, oldest first, only when the job belongs to `customerId`. */
export function selectAttemptsForJob(
  executor: DatabaseExecutor,
  customerId: string,
  jobId: string,
): Promise<DeliveryAttemptRow[]> {
  return executor
    .select()
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.jobId, jobId), eq(deliveryAttempts.customerId, customerId)))
    .orderBy(asc(deliveryAttempts.attemptNumber));
}

/** Read access to delivery logs, scoped by customer id. Writes go through the job lifecycle. */
export interface DeliveryAttemptsRepository {
  listForJob(customerId: string, jobId: string): Promise<DeliveryAttemptRow[]>;
}

/** Delivery log reads over `db`. */
export function createDeliveryAttemptsRepository(db: Database): DeliveryAttemptsRepository {
  return {
    listForJob: (customerId, jobId) => selectAttemptsForJob(db, customerId, jobId),
  };
}
