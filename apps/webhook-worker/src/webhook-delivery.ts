import {
  classifyWebhookAttempt,
  isReservedWebhookHeader,
  type WebhookAttemptResult,
  type WebhookPayload,
  WebhookPayloadSchema,
  webhookDeliveryHeaders,
} from '@notifykit/core';
import type { ClaimedJob } from '@notifykit/db';
import type { DeliverFn, DeliveryResult } from '@notifykit/queue';
import Value from 'typebox/value';
import {
  checkDestination,
  type DestinationPolicy,
  type HostResolver,
  pinnedLookup,
  systemResolver,
} from './destination-guard.ts';
import { type HttpAgents, type HttpTimeouts, sendHttpAttempt } from './http-attempt.ts';
import type { SigningSecretsSource } from './signing-secrets.ts';

/** Everything a webhook delivery needs besides the job. */
export interface WebhookDeliveryOptions {
  policy: DestinationPolicy;
  timeouts: HttpTimeouts;
  /** Longest Retry-After honoured (RETRY_AFTER_CAP_MS). */
  retryAfterCapMs: number;
  /** `NotifyKit/<version>`. */
  userAgent: string;
  signingSecrets: SigningSecretsSource;
  agents: HttpAgents;
  /** DNS; the system resolver unless a test substitutes one. */
  resolve?: HostResolver;
}

const BODYLESS_METHODS = new Set(['GET', 'DELETE']);

/** The customer's headers, minus any name NotifyKit owns (refused at submit; belt and braces). */
function customerHeaders(payload: WebhookPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload.headers).filter(([name]) => !isReservedWebhookHeader(name)),
  );
}

/**
 * The webhook worker's deliver function (CONTRACT §6): checks the destination after DNS,
 * signs with every active secret at the moment of sending, sends once with got, and classifies
 * what came back with core's rules. Delivery failures are results, never exceptions.
 */
export function createWebhookDeliver(options: WebhookDeliveryOptions): DeliverFn {
  const resolve = options.resolve ?? systemResolver;

  return async (job: ClaimedJob, context): Promise<DeliveryResult> => {
    const started = performance.now();
    const finish = (
      result: WebhookAttemptResult | null,
      responsePrefix: string | null = null,
    ): DeliveryResult => ({
      outcome:
        result === null
          ? { kind: 'permanent', reason: 'The stored webhook payload is invalid' }
          : classifyWebhookAttempt(result, { retryAfterCapMs: options.retryAfterCapMs }),
      statusCode: result?.kind === 'response' ? result.statusCode : null,
      durationMs: performance.now() - started,
      responsePrefix,
      providerMessageId: null,
    });

    if (job.type !== 'webhook' || !Value.Check(WebhookPayloadSchema, job.payload)) {
      context.logger.error('stored webhook payload does not match its schema');
      return finish(null);
    }
    const payload = job.payload;
    const destination = await checkDestination(payload.url, options.policy, resolve);
    if (!destination.ok) {
      context.logger.warn({ refusal: destination.kind }, 'webhook destination not usable');
      return finish({ kind: destination.kind, message: destination.message });
    }

    const body = BODYLESS_METHODS.has(payload.method) ? undefined : JSON.stringify(payload.payload);
    const secrets = await options.signingSecrets(job.customerId);
    const headers = {
      ...customerHeaders(payload),
      'Content-Type': 'application/json',
      'User-Agent': options.userAgent,
      // Signed now, not when the job was created: receivers reject stale timestamps.
      ...webhookDeliveryHeaders({
        jobId: job.id,
        timestampSeconds: Math.floor(Date.now() / 1000),
        body: body ?? '',
        secrets,
      }),
    };
    const sent = await sendHttpAttempt(
      {
        url: destination.url,
        method: payload.method,
        headers,
        body,
        lookup: pinnedLookup(destination.addresses),
        timeouts: options.timeouts,
        signal: context.signal,
      },
      options.agents,
    );
    context.logger.debug(
      { bytesRead: sent.bytesRead, signed: secrets.length > 0 },
      'response read',
    );
    return finish(sent.result, sent.responsePrefix);
  };
}
