import type { DeliveryOutcome } from '@notifykit/core';
import type { ClaimedJob } from '@notifykit/db';
import type { Logger } from '@notifykit/runtime';

/** Measurements and classification of one delivery attempt, as a worker's deliver function reports them. */
export interface DeliveryResult {
  /** Classified with core (classifyWebhookAttempt / classifySendGridAttempt). */
  outcome: DeliveryOutcome;
  statusCode: number | null;
  durationMs: number;
  /** A capped prefix of the response body, for the delivery log. */
  responsePrefix: string | null;
  /** Provider's id of the accepted message (SendGrid `X-Message-Id`). */
  providerMessageId: string | null;
  /**
   * A remark on a successful attempt that the customer should see in the delivery log (its
   * `errorMessage`), e.g. that a development transport did not really send anything.
   */
  note?: string | null;
}

/** What the lifecycle runner hands a deliver function besides the claimed job. */
export interface DeliveryContext {
  /** Aborted when the worker is shutting down past its grace period. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * The one thing that differs between workers: deliver a claimed job once. It must not throw
 * for delivery failures (it classifies them); a throw is treated as a retryable internal error.
 */
export type DeliverFn = (job: ClaimedJob, context: DeliveryContext) => Promise<DeliveryResult>;
