import type { SecretBox } from '@notifykit/core';
import type { WebhookSecretsRepository } from '@notifykit/db';

/** Reads the plaintext signing secrets of a customer at the moment of an attempt. */
export type SigningSecretsSource = (customerId: string) => Promise<string[]>;

/**
 * Every secret that signs now, newest first (the current one, then those still in their
 * rotation overlap), decrypted. A secret that cannot be decrypted (its key was removed from
 * ENCRYPTION_KEYS) throws: sending unsigned, or signed with only some secrets, would look
 * like a forgery to the receiver, so the attempt fails and is retried once the operator fixes it.
 */
export function createSigningSecretsSource(
  secrets: WebhookSecretsRepository,
  secretBox: SecretBox,
): SigningSecretsSource {
  return async (customerId) => {
    const active = await secrets.listActive(customerId);
    return active.map((secret) => secretBox.decrypt(secret.secretCiphertext));
  };
}
