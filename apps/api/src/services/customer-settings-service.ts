import { generateSigningSecret, type SecretBox } from '@notifykit/core';
import type { CustomersRepository, WebhookSecretsRepository } from '@notifykit/db';
import { notFound } from '../http/api-error.ts';
import { CUSTOMER_NOT_FOUND } from './customer-admin-service.ts';

/** What a customer may see about its SendGrid key: never the key itself. */
export interface SendgridKeyStatus {
  configured: boolean;
  lastFour: string | null;
  updatedAt: string | null;
}

/** A freshly made signing secret: the only moment its plaintext leaves the server. */
export interface CreatedWebhookSecret {
  secret: string;
  createdAt: string;
  /** When the secret it replaced stops signing; null on the first secret. */
  previousSecretExpiresAt: string | null;
}

/** Whether a signing secret exists, and since when. */
export interface WebhookSecretStatus {
  configured: boolean;
  createdAt: string | null;
}

/** A customer's own settings: their SendGrid key and their webhook signing secret. */
export interface CustomerSettingsService {
  getSendgridKey(customerId: string): Promise<SendgridKeyStatus>;
  /** Encrypts and stores the key; only its last four characters are ever shown again. */
  setSendgridKey(customerId: string, apiKey: string): Promise<SendgridKeyStatus>;
  /** Removes the key; succeeds when there was none. */
  clearSendgridKey(customerId: string): Promise<SendgridKeyStatus>;
  /** Creates (or rotates to) a new signing secret; the previous one keeps signing for 24 h. */
  rotateWebhookSecret(customerId: string): Promise<CreatedWebhookSecret>;
  getWebhookSecret(customerId: string): Promise<WebhookSecretStatus>;
}

/** What the settings service needs. */
export interface CustomerSettingsServiceDeps {
  customers: CustomersRepository;
  webhookSecrets: WebhookSecretsRepository;
  secretBox: SecretBox;
  /** Drops cached auth for the customer: the send route reads SendGrid status from it. */
  onCustomerChanged?: (customerId: string) => void;
}

const NOT_CONFIGURED: SendgridKeyStatus = Object.freeze({
  configured: false,
  lastFour: null,
  updatedAt: null,
});

/** Builds the settings service. */
export function createCustomerSettingsService(
  deps: CustomerSettingsServiceDeps,
): CustomerSettingsService {
  const changed = (customerId: string) => deps.onCustomerChanged?.(customerId);

  return {
    async getSendgridKey(customerId) {
      // Read from Postgres rather than the auth cache so a change shows up at once.
      const customer = await deps.customers.findById(customerId);
      if (!customer) throw notFound(CUSTOMER_NOT_FOUND);
      if (!customer.sendgridKey) return { ...NOT_CONFIGURED };
      return {
        configured: true,
        lastFour: customer.sendgridKey.lastFour,
        updatedAt: customer.sendgridKey.updatedAt.toISOString(),
      };
    },

    async setSendgridKey(customerId, apiKey) {
      const stored = await deps.customers.setSendgridKey(customerId, {
        ciphertext: deps.secretBox.encrypt(apiKey),
        lastFour: apiKey.slice(-4),
      });
      if (!stored) throw notFound(CUSTOMER_NOT_FOUND);
      changed(customerId);
      return {
        configured: true,
        lastFour: stored.lastFour,
        updatedAt: stored.updatedAt.toISOString(),
      };
    },

    async clearSendgridKey(customerId) {
      await deps.customers.clearSendgridKey(customerId);
      changed(customerId);
      return { ...NOT_CONFIGURED };
    },

    async rotateWebhookSecret(customerId) {
      const secret = generateSigningSecret();
      const created = await deps.webhookSecrets.rotate(customerId, deps.secretBox.encrypt(secret));
      if (!created) throw notFound(CUSTOMER_NOT_FOUND);
      const active = await deps.webhookSecrets.listActive(customerId);
      // The newest overlapping secret is the one this rotation just replaced.
      const previous = active.find((entry) => entry.id !== created.id && entry.expiresAt);
      return {
        secret,
        createdAt: created.createdAt.toISOString(),
        previousSecretExpiresAt: previous?.expiresAt?.toISOString() ?? null,
      };
    },

    async getWebhookSecret(customerId) {
      const current = await deps.webhookSecrets.getCurrent(customerId);
      return { configured: current !== null, createdAt: current?.createdAt.toISOString() ?? null };
    },
  };
}
