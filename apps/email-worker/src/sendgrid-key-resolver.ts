import {
  type EmailKeySource,
  MISSING_SENDGRID_KEY_MESSAGE,
  PLANS,
  type PlanName,
  type SecretBox,
} from '@notifykit/core';
import type { CustomersRepository } from '@notifykit/db';
import type { Logger } from '@notifykit/runtime';

/** Job error when a stored customer key can no longer be decrypted. */
export const UNREADABLE_SENDGRID_KEY_MESSAGE =
  'Your stored SendGrid API key could not be read. Please save it again in settings before sending emails.';

/** Which key sends a customer's email, or why none can. */
export type SendGridKeyChoice =
  /** `apiKey` is null only for operator-key plans when no operator key is configured (log transport). */
  { ok: true; source: EmailKeySource; apiKey: string | null } | { ok: false; reason: string };

/** Chooses the SendGrid key for a customer's email at the moment of sending. */
export interface SendGridKeyResolver {
  resolve(customer: { id: string; plan: PlanName }): Promise<SendGridKeyChoice>;
}

/**
 * Plan → key (CONTRACT §5): free and enterprise use the operator's key; indie and startup their
 * own, fetched and decrypted on every send so the plaintext lives only for that one request and
 * a key deleted (or replaced) after the job was accepted is honoured.
 */
export function createSendGridKeyResolver(options: {
  customers: Pick<CustomersRepository, 'getSendgridKeyCiphertext'>;
  secretBox: SecretBox;
  operatorKey: string | null;
  logger: Logger;
}): SendGridKeyResolver {
  return {
    async resolve(customer) {
      const source = PLANS[customer.plan].emailKeySource;
      if (source === 'operator') return { ok: true, source, apiKey: options.operatorKey };

      const ciphertext = await options.customers.getSendgridKeyCiphertext(customer.id);
      if (ciphertext === null) return { ok: false, reason: MISSING_SENDGRID_KEY_MESSAGE };
      try {
        return { ok: true, source, apiKey: options.secretBox.decrypt(ciphertext) };
      } catch (error) {
        // An operator problem (a key id dropped from ENCRYPTION_KEYS, a damaged row) that the
        // customer can repair by saving the key again; say so to both without echoing anything.
        options.logger.error(
          { customerId: customer.id, reason: error instanceof Error ? error.message : 'unknown' },
          'customer SendGrid key could not be decrypted; is its encryption key still in ENCRYPTION_KEYS?',
        );
        return { ok: false, reason: UNREADABLE_SENDGRID_KEY_MESSAGE };
      }
    },
  };
}
