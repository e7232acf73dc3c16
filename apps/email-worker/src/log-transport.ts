import { utf8ByteLength } from '@notifykit/core';
import { recipientDomain } from './email-message.ts';
import type { EmailTransport } from './email-transport.ts';

/** Stored with every attempt the log transport "delivers", so nobody mistakes it for a send. */
export const LOG_TRANSPORT_NOTE =
  'Not sent: EMAIL_TRANSPORT=log only logs a summary of each email (development mode).';

/**
 * EMAIL_TRANSPORT=log, for development without a SendGrid account: logs a redacted summary
 * (job id, recipient domain, sizes; never the address, subject, body or key) and reports
 * success so the job completes, with a note on the attempt saying nothing was sent.
 */
export function createLogTransport(): EmailTransport {
  return {
    name: 'log',
    async send(email, context) {
      context.logger.info(
        {
          transport: 'log',
          recipientDomain: recipientDomain(email.to),
          subjectLength: email.subject.length,
          htmlBytes: utf8ByteLength(email.html),
          textBytes: email.text === null ? 0 : utf8ByteLength(email.text),
        },
        'email not sent (EMAIL_TRANSPORT=log); summary only',
      );
      return {
        outcome: { kind: 'success' },
        statusCode: null,
        responsePrefix: null,
        providerMessageId: null,
        note: LOG_TRANSPORT_NOTE,
      };
    },
  };
}
