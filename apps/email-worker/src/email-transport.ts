import type { DeliveryOutcome } from '@notifykit/core';
import type { Logger } from '@notifykit/runtime';
import type { OutgoingEmail } from './email-message.ts';

/** What one send through a transport produced, already classified. */
export interface TransportResult {
  outcome: DeliveryOutcome;
  statusCode: number | null;
  /** A capped prefix of the provider's answer. */
  responsePrefix: string | null;
  providerMessageId: string | null;
  /** Shown to the customer in the delivery log of a successful attempt (see DeliveryResult). */
  note?: string | null;
}

/** Everything a transport needs for one send besides the message. */
export interface TransportSendContext {
  /** The SendGrid key chosen for this customer; null only where no key is needed. */
  apiKey: string | null;
  /** Aborted when the worker is shutting down past its grace period. */
  signal: AbortSignal;
  /** The runner's logger for this attempt (it already names the job and attempt). */
  logger: Logger;
}

/** How email leaves the worker: SendGrid for real, or the development log transport. */
export interface EmailTransport {
  readonly name: 'sendgrid' | 'log';
  send(email: OutgoingEmail, context: TransportSendContext): Promise<TransportResult>;
}
