import { IsoDateTimeSchema } from '@notifykit/core';
import Type, { type TSchema } from 'typebox';

function nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/**
 * SendGrid keys are `SG.` followed by two dot-separated base64url parts (22 and 43 characters
 * today). The part lengths are kept loose so a future key length is not refused, while typos
 * such as a pasted key id, a stray space or a missing part are.
 */
export const SENDGRID_API_KEY_PATTERN = '^SG\\.[A-Za-z0-9_-]{8,128}\\.[A-Za-z0-9_-]{16,256}$';

/** Body of PUT /api/v1/settings/sendgrid. */
export const SendgridKeyBodySchema = Type.Object(
  {
    apiKey: Type.String({
      pattern: SENDGRID_API_KEY_PATTERN,
      description: 'A SendGrid API key with the Mail Send permission',
      // Never echo the value: it is a secret even when malformed.
      errorMessage: 'apiKey must be a SendGrid API key: "SG." followed by two dot-separated parts',
    }),
  },
  { additionalProperties: false },
);

/** `data` of the SendGrid settings routes. */
export const SendgridKeyStatusSchema = Type.Object(
  {
    configured: Type.Boolean(),
    lastFour: nullable(Type.String({ description: 'Last four characters of the stored key' })),
    updatedAt: nullable(IsoDateTimeSchema),
  },
  { additionalProperties: false },
);

/** `data` of POST /api/v1/settings/webhook-secret. */
export const CreatedWebhookSecretSchema = Type.Object(
  {
    secret: Type.String({
      pattern: '^whsec_',
      description: 'The signing secret; shown only in this response',
    }),
    createdAt: IsoDateTimeSchema,
    previousSecretExpiresAt: nullable(
      Type.String({
        format: 'date-time',
        description: 'When the replaced secret stops signing (24 h overlap); null on the first one',
      }),
    ),
  },
  { additionalProperties: false },
);

/** `data` of GET /api/v1/settings/webhook-secret. */
export const WebhookSecretStatusSchema = Type.Object(
  { configured: Type.Boolean(), createdAt: nullable(IsoDateTimeSchema) },
  { additionalProperties: false },
);
