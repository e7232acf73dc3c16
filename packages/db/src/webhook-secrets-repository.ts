import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from './database-client.ts';
import { customers } from './schema/customers-table.ts';
import { webhookSigningSecrets } from './schema/webhook-signing-secrets-table.ts';

/** How long a rotated-away secret keeps signing (CONTRACT §5). */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** A signing secret that may be used to sign right now. */
export interface ActiveWebhookSecret {
  id: number;
  secretCiphertext: string;
  createdAt: Date;
  /** Null for the current secret; set for one rotated away that still overlaps. */
  expiresAt: Date | null;
}

/** What may be shown about the current secret. */
export interface WebhookSecretMetadata {
  id: number;
  createdAt: Date;
}

/** Webhook signing secrets, always scoped by customer id. */
export interface WebhookSecretsRepository {
  /**
   * Makes `secretCiphertext` the current secret and gives the previous current one an expiry
   * `overlapMs` from now, in one transaction. Null when the customer does not exist.
   */
  rotate(
    customerId: string,
    secretCiphertext: string,
    overlapMs?: number,
  ): Promise<WebhookSecretMetadata | null>;
  /** Every secret that signs now: the current one first, then still-overlapping ones, newest first. */
  listActive(customerId: string): Promise<ActiveWebhookSecret[]>;
  getCurrent(customerId: string): Promise<WebhookSecretMetadata | null>;
}

/** Webhook signing secret persistence over `db`. */
export function createWebhookSecretsRepository(db: Database): WebhookSecretsRepository {
  return {
    async rotate(customerId, secretCiphertext, overlapMs = SECRET_ROTATION_OVERLAP_MS) {
      return db.transaction(async (tx) => {
        // Locking the customer serialises concurrent rotations; without it both could see the
        // same current secret and the second insert would hit the one-current unique index.
        const [owner] = await tx
          .select({ id: customers.id })
          .from(customers)
          .where(eq(customers.id, customerId))
          .for('update');
        if (!owner) return null;

        await tx
          .update(webhookSigningSecrets)
          .set({
            expiresAt: sql`now() + make_interval(secs => ${overlapMs / 1000}::double precision)`,
          })
          .where(
            and(
              eq(webhookSigningSecrets.customerId, customerId),
              isNull(webhookSigningSecrets.expiresAt),
            ),
          );
        const [created] = await tx
          .insert(webhookSigningSecrets)
          .values({ customerId, secretCiphertext })
          .returning({ id: webhookSigningSecrets.id, createdAt: webhookSigningSecrets.createdAt });
        return created ?? null;
      });
    },

    async listActive(customerId) {
      return db
        .select({
          id: webhookSigningSecrets.id,
          secretCiphertext: webhookSigningSecrets.secretCiphertext,
          createdAt: webhookSigningSecrets.createdAt,
          expiresAt: webhookSigningSecrets.expiresAt,
        })
        .from(webhookSigningSecrets)
        .where(
          and(
            eq(webhookSigningSecrets.customerId, customerId),
            or(
              isNull(webhookSigningSecrets.expiresAt),
              gt(webhookSigningSecrets.expiresAt, sql`now()`),
            ),
          ),
        )
        .orderBy(
          sql`${webhookSigningSecrets.expiresAt} DESC NULLS FIRST`,
          desc(webhookSigningSecrets.id),
        );
    },

    async getCurrent(customerId) {
      const [row] = await db
        .select({ id: webhookSigningSecrets.id, createdAt: webhookSigningSecrets.createdAt })
        .from(webhookSigningSecrets)
        .where(
          and(
            eq(webhookSigningSecrets.customerId, customerId),
            isNull(webhookSigningSecrets.expiresAt),
          ),
        );
      return row ?? null;
    },
  };
}
