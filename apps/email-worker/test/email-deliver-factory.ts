import type { DeliverFn, DeliveryResult } from '@notifykit/queue';
import { createEmailDeliver } from '../src/email-delivery.ts';
import type { EmailSender } from '../src/email-message.ts';
import type { EmailTransport } from '../src/email-transport.ts';
import { createSendGridKeyResolver } from '../src/sendgrid-key-resolver.ts';
import { createSendGridTransport } from '../src/sendgrid-transport.ts';
import {
  type CapturedLogger,
  captureLogger,
  type EmailTestBed,
  OPERATOR_KEY,
} from './email-test-bed.ts';

/** DEFAULT_FROM, parsed. */
export const DEFAULT_SENDER: EmailSender = { email: 'no-reply@notifykit.test', name: 'NotifyKit' };

/** A DeliverFn wired like main.ts does, against the test bed, plus what it logged. */
export interface TestDeliver {
  deliver: DeliverFn;
  log: CapturedLogger;
  /** Claims `jobId` and delivers it once; `signal` defaults to one that never aborts. */
  run(jobId: string, signal?: AbortSignal): Promise<DeliveryResult>;
}

/** Builds the email DeliverFn over `bed` with a SendGrid transport (or the given one). */
export function createTestDeliver(
  bed: EmailTestBed,
  options: { timeoutMs?: number; baseUrl?: string; transport?: EmailTransport } = {},
): TestDeliver {
  const log = captureLogger();
  const transport =
    options.transport ??
    createSendGridTransport({
      baseUrl: options.baseUrl ?? bed.sendgrid.url,
      timeoutMs: options.timeoutMs ?? 5_000,
    });
  const deliver = createEmailDeliver({
    customers: bed.customers,
    keyResolver: createSendGridKeyResolver({
      customers: bed.customers,
      secretBox: bed.secretBox,
      operatorKey: OPERATOR_KEY,
      logger: log.logger,
    }),
    transport,
    defaultSender: DEFAULT_SENDER,
  });
  return {
    deliver,
    log,
    async run(jobId, signal = new AbortController().signal) {
      const job = await bed.claim(jobId);
      return deliver(job, { signal, logger: log.logger.child({ jobId }) });
    },
  };
}
