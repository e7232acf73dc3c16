import { performance } from 'node:perf_hooks';
import type { DeliveryOutcome } from '@notifykit/core';
import type { CustomersRepository } from '@notifykit/db';
import type { DeliverFn, DeliveryResult } from '@notifykit/queue';
import { buildOutgoingEmail, type EmailSender, readEmailPayload } from './email-message.ts';
import type { EmailTransport } from './email-transport.ts';
import type { SendGridKeyResolver } from './sendgrid-key-resolver.ts';

/** Job error when the stored payload is not an email payload (a damaged or foreign row). */
export const INVALID_EMAIL_PAYLOAD_MESSAGE =
  'The stored email payload is invalid; it cannot be sent.';
/** Job error when the job's customer no longer exists. */
export const CUSTOMER_GONE_MESSAGE = 'The customer of this job no longer exists.';

/** What {@link createEmailDeliver} wires together. */
export interface EmailDeliveryOptions {
  customers: Pick<CustomersRepository, 'findById'>;
  keyResolver: SendGridKeyResolver;
  transport: EmailTransport;
  /** EMAIL_FROM_DEFAULT, parsed. */
  defaultSender: EmailSender;
}

function failedBeforeSending(reason: string, startedAt: number): DeliveryResult {
  const outcome: DeliveryOutcome = { kind: 'permanent', reason };
  return {
    outcome,
    statusCode: null,
    durationMs: Math.round(performance.now() - startedAt),
    responsePrefix: null,
    providerMessageId: null,
  };
}

/**
 * The email worker's DeliverFn: reads the customer's plan now (not when the job was accepted),
 * picks and decrypts the SendGrid key, builds the message and sends it once through the
 * transport. Problems no retry can fix (no key, no customer, a broken payload) fail the job
 * permanently; infrastructure errors (Postgres) are thrown, which the runner retries.
 */
export function createEmailDeliver(options: EmailDeliveryOptions): DeliverFn {
  return async (job, { signal, logger }) => {
    const startedAt = performance.now();
    const payload = readEmailPayload(job.payload);
    if (payload === null) {
      logger.error('email job has an invalid stored payload');
      return failedBeforeSending(INVALID_EMAIL_PAYLOAD_MESSAGE, startedAt);
    }
    const customer = await options.customers.findById(job.customerId);
    if (customer === null) return failedBeforeSending(CUSTOMER_GONE_MESSAGE, startedAt);

    const key = await options.keyResolver.resolve(customer);
    if (!key.ok) {
      logger.info({ plan: customer.plan }, 'email not sent: no usable SendGrid key');
      return failedBeforeSending(key.reason, startedAt);
    }
    const email = buildOutgoingEmail({
      jobId: job.id,
      payload,
      plan: customer.plan,
      defaultSender: options.defaultSender,
    });

    const sendStartedAt = performance.now();
    const result = await options.transport.send(email, { apiKey: key.apiKey, signal, logger });
    const durationMs = Math.round(performance.now() - sendStartedAt);
    logger.info(
      {
        transport: options.transport.name,
        keySource: key.source,
        outcome: result.outcome.kind,
        statusCode: result.statusCode,
        providerMessageId: result.providerMessageId,
        durationMs,
      },
      'email attempt finished',
    );
    if (key.source === 'operator' && (result.statusCode === 401 || result.statusCode === 403)) {
      // Not one customer's problem: every free and enterprise email fails until it is fixed.
      logger.error(
        { statusCode: result.statusCode },
        'SendGrid refused the operator key (SENDGRID_API_KEY); check the key and its permissions',
      );
    }
    return { ...result, durationMs };
  };
}
